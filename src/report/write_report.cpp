// Writes report.md, report.html and figures/*.svg into a directory, each file atomically.
#include <system_error>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/report/render.hpp"

namespace finsent::report {

WrittenReport write_report(const Document& document, const std::filesystem::path& dir) {
  validate(document);
  std::error_code ec;
  std::filesystem::create_directories(dir / "figures", ec);
  if (ec) throw IoError("cannot create " + (dir / "figures").string() + ": " + ec.message());
  WrittenReport written;
  for (const Section& section : document.sections) {
    for (const Block& block : section.blocks) {
      if (const auto* figure = std::get_if<Figure>(&block)) {
        const auto path = dir / "figures" / (figure->name + ".svg");
        io::write_file_atomic(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + figure->svg);
        written.figures.push_back(path);
      }
    }
  }
  written.markdown = dir / "report.md";
  io::write_file_atomic(written.markdown, render_markdown(document, "figures"));
  written.html = dir / "report.html";
  io::write_file_atomic(written.html, render_html(document));
  return written;
}

}  // namespace finsent::report
