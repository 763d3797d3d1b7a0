// Shared chart furniture: title, axes, grid, legend.
#include "chart_frame.hpp"

namespace finsent::report::detail {

void draw_title(SvgCanvas& svg, const std::string& title) {
  svg.text(svg.width() / 2, 24, title, {.size = 15, .anchor = Anchor::Middle, .bold = true});
}

LinearScale draw_y_axis(SvgCanvas& svg, const PlotArea& area, double lo, double hi,
                        const std::string& label) {
  const std::vector<double> ticks = nice_ticks(lo, hi);
  const std::vector<std::string> labels = tick_labels(ticks);
  LinearScale y(ticks.front(), ticks.back(), area.bottom, area.top);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double py = y(ticks[i]);
    svg.line(area.left, py, area.right, py, kGridColor);
    svg.text(area.left - 6, py + 4, labels[i],
             {.size = 11, .anchor = Anchor::End, .fill = kAxisColor});
  }
  svg.line(area.left, area.top, area.left, area.bottom, kAxisColor);
  svg.text(18, (area.top + area.bottom) / 2, label,
           {.size = 12, .anchor = Anchor::Middle, .fill = kAxisColor, .rotate = -90});
  return y;
}

LinearScale draw_x_axis(SvgCanvas& svg, const PlotArea& area, double lo, double hi,
                        const std::string& label) {
  const std::vector<double> ticks = nice_ticks(lo, hi, 7);
  const std::vector<std::string> labels = tick_labels(ticks);
  LinearScale x(ticks.front(), ticks.back(), area.left, area.right);
  for (size_t i = 0; i < ticks.size(); ++i) {
    const double px = x(ticks[i]);
    svg.line(px, area.top, px, area.bottom, kGridColor);
    svg.text(px, area.bottom + 16, labels[i],
             {.size = 11, .anchor = Anchor::Middle, .fill = kAxisColor});
  }
  svg.line(area.left, area.bottom, area.right, area.bottom, kAxisColor);
  draw_x_label(svg, area, label);
  return x;
}

void draw_x_label(SvgCanvas& svg, const PlotArea& area, const std::string& label) {
  svg.text((area.left + area.right) / 2, area.bottom + 40, label,
           {.size = 12, .anchor = Anchor::Middle, .fill = kAxisColor});
}

void draw_legend(SvgCanvas& svg, const PlotArea& area, const std::vector<std::string>& names) {
  // Entries are laid out right to left so the legend hugs the right edge; width is estimated from
  // the character count (no font metrics in a static SVG).
  double x = area.right;
  for (size_t i = names.size(); i-- > 0;) {
    const double text_width = 6.5 * static_cast<double>(names[i].size());
    x -= text_width;
    svg.text(x, area.top - 8, names[i], {.size = 11, .fill = kAxisColor});
    svg.rect(x - 16, area.top - 17, 11, 11, palette_color(i));
    x -= 28;
  }
}

void draw_no_data(SvgCanvas& svg, const PlotArea& area) {
  svg.text((area.left + area.right) / 2, (area.top + area.bottom) / 2, "no data",
           {.size = 14, .anchor = Anchor::Middle, .fill = "#888"});
}

}  // namespace finsent::report::detail
