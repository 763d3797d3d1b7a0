// Document -> one self-contained HTML page (inline CSS and SVG, nothing loaded from anywhere).
#include <type_traits>

#include "finsent/report/escape.hpp"
#include "finsent/report/render.hpp"

namespace finsent::report {
namespace {

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f4f5f7; color: #1d1d1f;
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 1.9em; margin: .2em 0 .4em; }
h2 { margin-top: 2.2em; padding-bottom: .2em; border-bottom: 1px solid #ddd; }
nav.toc { background: #f7f8fa; border: 1px solid #e3e5e8; border-radius: 6px; padding: 8px 16px; }
nav.toc ol { margin: .3em 0; padding-left: 1.4em; columns: 2; }
nav.toc a { color: #0b5cad; text-decoration: none; }
table { border-collapse: collapse; margin: 1em 0; font-size: .92em; }
th, td { border: 1px solid #dcdfe3; padding: 4px 10px; vertical-align: top; }
th { background: #eef1f5; text-align: left; }
tbody tr:nth-child(even) td { background: #fafbfc; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.center { text-align: center; }
figure { margin: 1.4em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .9em; margin-top: .3em; }
pre { background: #f5f5f7; border-radius: 4px; padding: 10px 12px; overflow-x: auto; font-size: .86em; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
.note { border-left: 4px solid #0072B2; background: #eef6fb; padding: 8px 12px; margin: 1em 0; }
.note.warning { border-color: #E69F00; background: #fdf6e7; }
.note.error { border-color: #D55E00; background: #fcefe8; }
@media print { body { background: #fff; } main { padding: 0; } nav.toc { display: none; } }
)css";

std::string inline_html(const Paragraph& p) {
  std::string out;
  for (const Span& s : p.spans) {
    const std::string text = xml_escape(s.text);
    if (s.code) {
      out += "<code>" + text + "</code>";
    } else if (s.strong) {
      out += "<strong>" + text + "</strong>";
    } else {
      out += text;
    }
  }
  return out;
}

std::string note_html(const Note& note) {
  switch (note.kind) {
    case Note::Kind::Warning:
      return "<div class=\"note warning\"><strong>Warning:</strong> " + xml_escape(note.text) +
             "</div>\n";
    case Note::Kind::Error:
      return "<div class=\"note error\" role=\"alert\"><strong>Failed:</strong> " +
             xml_escape(note.text) + "</div>\n";
    case Note::Kind::Info:
      break;
  }
  return "<div class=\"note\"><strong>Note:</strong> " + xml_escape(note.text) + "</div>\n";
}

}  // namespace

std::string render_html(const Document& document) {
  validate(document);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      // Nothing may be fetched: the page is complete as it is, offline and online alike.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<title>" +
      xml_escape(document.title) + "</title>\n<style>" + kStyle +
      "</style>\n</head>\n<body>\n<main>\n";
  out += "<h1>" + xml_escape(document.title) + "</h1>\n";
  for (const Paragraph& p : document.intro) out += "<p>" + inline_html(p) + "</p>\n";
  if (!document.sections.empty()) {
    out += "<nav class=\"toc\" aria-label=\"Contents\"><strong>Contents</strong><ol>\n";
    for (const Section& s : document.sections) {
      out += "<li><a href=\"#" + s.id + "\">" + xml_escape(s.title) + "</a></li>\n";
    }
    out += "</ol></nav>\n";
  }
  for (const Section& section : document.sections) {
    out += "<section id=\"" + section.id + "\">\n<h2>" + xml_escape(section.title) + "</h2>\n";
    for (const Block& block : section.blocks) {
      std::visit(
          [&](const auto& b) {
            using T = std::decay_t<decltype(b)>;
            if constexpr (std::is_same_v<T, Paragraph>) {
              out += "<p>" + inline_html(b) + "</p>\n";
            } else if constexpr (std::is_same_v<T, BulletList>) {
              out += "<ul>\n";
              for (const Paragraph& item : b.items) out += "<li>" + inline_html(item) + "</li>\n";
              out += "</ul>\n";
            } else if constexpr (std::is_same_v<T, CodeBlock>) {
              out += "<pre><code>" + xml_escape(b.text) + "</code></pre>\n";
            } else if constexpr (std::is_same_v<T, Table>) {
              out += table_html(b);
            } else if constexpr (std::is_same_v<T, Figure>) {
              // The SVG comes from the chart renderers, which escape every string they embed.
              out += "<figure id=\"fig-" + b.name + "\">\n" + b.svg + "<figcaption>" +
                     xml_escape(b.caption) + "</figcaption>\n</figure>\n";
            } else if constexpr (std::is_same_v<T, Note>) {
              out += note_html(b);
            }
          },
          block);
    }
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace finsent::report
