// The report's content model: sections of paragraphs, lists, code, tables, figures and notes.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "finsent/report/table.hpp"

namespace finsent::report {

// A run of inline text; `code` renders monospaced (paths, commands), `strong` in bold.
struct Span {
  std::string text;
  bool code = false;
  bool strong = false;
};
inline Span plain(std::string text) {
  return {std::move(text), false, false};
}
inline Span code(std::string text) {
  return {std::move(text), true, false};
}
inline Span strong(std::string text) {
  return {std::move(text), false, true};
}

struct Paragraph {
  std::vector<Span> spans;
};
struct BulletList {
  std::vector<Paragraph> items;
};
struct CodeBlock {
  std::string text;  // shown verbatim
};
// A standalone SVG (from the chart renderers) saved as figures/<name>.svg next to report.md and
// inlined into report.html. name: [a-z0-9_-]+, unique within a document.
struct Figure {
  std::string name;
  std::string caption;
  std::string svg;
};
// A call-out box, e.g. a stage that failed and why.
struct Note {
  enum class Kind { Info, Warning, Error };
  Kind kind = Kind::Info;
  std::string text;
};

using Block = std::variant<Paragraph, BulletList, CodeBlock, Table, Figure, Note>;

struct Section {
  std::string id;  // anchor, [a-z0-9-]+ (unique within a document)
  std::string title;
  std::vector<Block> blocks;
};

struct Document {
  std::string title;
  std::vector<Paragraph> intro;
  std::vector<Section> sections;
};

// Throws InputError naming the offending section/figure when an id or figure name is empty,
// has other characters than [a-z0-9_-], or is used twice.
void validate(const Document& document);

}  // namespace finsent::report
