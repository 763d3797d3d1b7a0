// A small SVG writer: shapes and text with every attribute and text node escaped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finsent::report {

enum class Anchor { Start, Middle, End };

struct TextStyle {
  double size = 12;
  Anchor anchor = Anchor::Start;
  std::string fill = "#222";
  bool bold = false;
  double rotate = 0;  // degrees, around the text's own (x, y)
};

// Builds one standalone <svg> document (xmlns set, viewBox = width x height, <title> and <desc>
// first so screen readers and browsers have a name for it). Coordinates are written with two
// decimals. The result is well-formed XML for any input strings.
class SvgCanvas {
 public:
  SvgCanvas(double width, double height, std::string_view title, std::string_view description = {});

  // `tooltip`, when not empty, becomes a <title> child (shown on hover).
  void rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view tooltip = {}, std::string_view stroke = {});
  void line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1,
            bool dashed = false);
  void polyline(const std::vector<std::pair<double, double>>& points, std::string_view stroke,
                double width = 1.5);
  void circle(double cx, double cy, double r, std::string_view fill, std::string_view tooltip = {});
  void text(double x, double y, std::string_view content, const TextStyle& style = {});

  double width() const { return width_; }
  double height() const { return height_; }
  // The complete document, ending with </svg> and a newline.
  std::string str() const;

 private:
  double width_, height_;
  std::string body_;
};

// A categorical palette that stays distinguishable for common colour blindness (Okabe-Ito).
const std::string& palette_color(size_t index);

}  // namespace finsent::report
