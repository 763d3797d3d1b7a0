// Document -> CommonMark (report.md); figures become links to figures/<name>.svg.
#include <type_traits>

#include "finsent/report/escape.hpp"
#include "finsent/report/render.hpp"

namespace finsent::report {
namespace {

std::string inline_markdown(const Paragraph& p) {
  std::string out;
  for (const Span& s : p.spans) {
    if (s.code) {
      out += markdown_code_span(s.text);
    } else if (s.strong && !s.text.empty()) {
      out += "**" + markdown_escape(s.text) + "**";
    } else {
      out += markdown_escape(s.text);
    }
  }
  // Leading spaces would start an indented code block.
  const size_t first = out.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : out.substr(first);
}

const char* note_label(Note::Kind kind) {
  switch (kind) {
    case Note::Kind::Warning:
      return "Warning:";
    case Note::Kind::Error:
      return "Failed:";
    case Note::Kind::Info:
      break;
  }
  return "Note:";
}

}  // namespace

std::string render_markdown(const Document& document, const std::string& figures_dir) {
  validate(document);
  std::string out = "# " + markdown_escape(document.title) + "\n\n";
  for (const Paragraph& p : document.intro) out += inline_markdown(p) + "\n\n";
  for (const Section& section : document.sections) {
    out += "## " + markdown_escape(section.title) + "\n\n";
    for (const Block& block : section.blocks) {
      std::visit(
          [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, Paragraph>) {
              out += inline_markdown(b) + "\n\n";
            } else if constexpr (std::is_same_v<T, BulletList>) {
              for (const Paragraph& item : b.items) out += "- " + inline_markdown(item) + "\n";
              out += "\n";
            } else if constexpr (std::is_same_v<T, CodeBlock>) {
              out += markdown_code_block(b.text) + "\n";
            } else if constexpr (std::is_same_v<T, Table>) {
              out += table_markdown(b) + "\n";
            } else if constexpr (std::is_same_v<T, Figure>) {
              // The link target is a fixed pattern of validated names; the caption is escaped as
              // link text (brackets included).
              out += "![" + markdown_escape(b.caption) + "](" + figures_dir + "/" + b.name +
                     ".svg)\n\n";
            } else if constexpr (std::is_same_v<T, Note>) {
              out += "> **" + std::string(note_label(b.kind)) + "** " +
                     inline_markdown(Paragraph{{plain(b.text)}}) + "\n\n";
            }
          },
          block);
    }
  }
  return out;
}

}  // namespace finsent::report
