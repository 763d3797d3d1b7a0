// SvgCanvas: appends escaped SVG elements; the one place chart code turns into markup.
#include "finsent/report/svg_canvas.hpp"

#include <array>
#include <charconv>
#include <cmath>

#include "finsent/report/escape.hpp"

namespace finsent::report {
namespace {

// Coordinates with at most two decimals, trailing zeros dropped ("12", "12.5", "12.25").
std::string num(double v) {
  if (!std::isfinite(v)) v = 0;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  std::string s(buf, r.ptr);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

// Built by appending: GCC 12 misreports `"literal" + std::string&&` as overlapping memcpy.
std::string attr(std::string_view name, std::string_view value) {
  std::string out(" ");
  out.append(name).append("=\"").append(xml_escape(value)).append("\"");
  return out;
}

std::string tooltip_element(std::string_view tooltip) {
  std::string out("<title>");
  out.append(xml_escape(tooltip)).append("</title>");
  return out;
}

std::string close_with_tooltip(std::string_view tag, std::string_view tooltip) {
  if (tooltip.empty()) return "/>\n";
  std::string out(">");
  out.append(tooltip_element(tooltip)).append("</").append(tag).append(">\n");
  return out;
}

}  // namespace

SvgCanvas::SvgCanvas(double width, double height, std::string_view title,
                     std::string_view description)
    : width_(width), height_(height) {
  body_ = tooltip_element(title);
  if (!description.empty())
    body_.append("<desc>").append(xml_escape(description)).append("</desc>");
  body_ += "\n";
}

void SvgCanvas::rect(double x, double y, double w, double h, std::string_view fill,
                     std::string_view tooltip, std::string_view stroke) {
  body_ += std::string("<rect") + attr("x", num(x)) + attr("y", num(y)) +
           attr("width", num(std::max(0.0, w))) + attr("height", num(std::max(0.0, h))) +
           attr("fill", fill);
  if (!stroke.empty()) body_ += attr("stroke", stroke);
  body_ += close_with_tooltip("rect", tooltip);
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, std::string_view stroke,
                     double width, bool dashed) {
  body_ += std::string("<line") + attr("x1", num(x1)) + attr("y1", num(y1)) + attr("x2", num(x2)) +
           attr("y2", num(y2)) + attr("stroke", stroke) + attr("stroke-width", num(width));
  if (dashed) body_ += attr("stroke-dasharray", "5 4");
  body_ += "/>\n";
}

void SvgCanvas::polyline(const std::vector<std::pair<double, double>>& points,
                         std::string_view stroke, double width) {
  std::string coords;
  coords.reserve(points.size() * 14);
  for (const auto& [x, y] : points) {
    if (!coords.empty()) coords += ' ';
    coords += num(x) + "," + num(y);
  }
  body_ += std::string("<polyline") + attr("points", coords) + attr("fill", "none") +
           attr("stroke", stroke) + attr("stroke-width", num(width)) +
           attr("stroke-linejoin", "round") + "/>\n";
}

void SvgCanvas::circle(double cx, double cy, double r, std::string_view fill,
                       std::string_view tooltip) {
  body_ += std::string("<circle") + attr("cx", num(cx)) + attr("cy", num(cy)) + attr("r", num(r)) +
           attr("fill", fill);
  body_ += close_with_tooltip("circle", tooltip);
}

void SvgCanvas::text(double x, double y, std::string_view content, const TextStyle& style) {
  static constexpr std::array<const char*, 3> kAnchors = {"start", "middle", "end"};
  body_ += std::string("<text") + attr("x", num(x)) + attr("y", num(y)) +
           attr("font-size", num(style.size)) + attr("fill", style.fill) +
           attr("text-anchor", kAnchors[static_cast<int>(style.anchor)]);
  if (style.bold) body_ += attr("font-weight", "bold");
  if (style.rotate != 0) {
    body_ += attr("transform",
                  std::string("rotate(") + num(style.rotate) + " " + num(x) + " " + num(y) + ")");
  }
  body_.append(">").append(xml_escape(content)).append("</text>\n");
}

std::string SvgCanvas::str() const {
  return std::string("<svg xmlns=\"http://www.w3.org/2000/svg\"") +
         attr("viewBox", std::string("0 0 ") + num(width_) + " " + num(height_)) +
         attr("width", num(width_)) + attr("height", num(height_)) + attr("role", "img") +
         attr("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif") + ">\n" + body_ +
         "</svg>\n";
}

const std::string& palette_color(size_t index) {
  static const std::array<std::string, 8> kOkabeIto = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                       "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
  return kOkabeIto[index % kOkabeIto.size()];
}

}  // namespace finsent::report
