// Renders a report Document as CommonMark (report.md) and as one self-contained HTML page.
#pragma once

#include <filesystem>
#include <string>

#include "finsent/report/document.hpp"

namespace finsent::report {

// CommonMark with pipe tables. Figures become image links `figures_dir/<name>.svg`; all document
// text is escaped so data cannot inject markup.
std::string render_markdown(const Document& document, const std::string& figures_dir = "figures");

// One HTML5 page with inline CSS and every figure's SVG inline; no script and no external resource.
// A Content-Security-Policy meta tag forbids loading anything, so a browser offline or online shows
// the same page and reports any stray reference as a console error. Includes a table of contents.
std::string render_html(const Document& document);

struct WrittenReport {
  std::filesystem::path markdown, html;
  std::vector<std::filesystem::path> figures;
};

// Writes <dir>/report.md, <dir>/report.html and <dir>/figures/<name>.svg, each atomically
// (validate() first; IoError when a file cannot be written).
WrittenReport write_report(const Document& document, const std::filesystem::path& dir);

}  // namespace finsent::report
