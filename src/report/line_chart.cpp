// Multi-series line chart over a numeric x axis, thinned for very long series.
#include "finsent/report/line_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart_frame.hpp"
#include "finsent/report/number_format.hpp"

namespace finsent::report {
namespace {

constexpr size_t kMaxPoints = 2000;

std::vector<std::pair<double, double>> finite_points(const Series& s) {
  std::vector<std::pair<double, double>> out;
  for (const auto& p : s.points) {
    if (std::isfinite(p.first) && std::isfinite(p.second)) out.push_back(p);
  }
  if (out.size() > kMaxPoints) {
    const size_t stride = (out.size() + kMaxPoints - 1) / kMaxPoints;
    std::vector<std::pair<double, double>> thin;
    for (size_t i = 0; i < out.size(); i += stride) thin.push_back(out[i]);
    if (thin.back() != out.back()) thin.push_back(out.back());
    out = std::move(thin);
  }
  return out;
}

}  // namespace

std::string render_line_chart(const LineChart& chart) {
  SvgCanvas svg(detail::kChartWidth, detail::kChartHeight, chart.title,
                "Line chart: " + chart.y_label + " against " + chart.x_label);
  detail::draw_title(svg, chart.title);
  detail::PlotArea area;
  std::vector<std::vector<std::pair<double, double>>> series;
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const Series& s : chart.series) {
    series.push_back(finite_points(s));
    for (const auto& [px, py] : series.back()) {
      x_lo = std::min(x_lo, px), x_hi = std::max(x_hi, px);
      y_lo = std::min(y_lo, py), y_hi = std::max(y_hi, py);
    }
  }
  if (!std::isfinite(x_lo)) {
    detail::draw_no_data(svg, area);
    return svg.str();
  }
  // Losses and learning rates are >= 0: anchor the axis at 0 unless the data is far from it.
  if (y_lo >= 0 && y_lo < 0.5 * y_hi) y_lo = 0;
  const LinearScale y = detail::draw_y_axis(svg, area, y_lo, y_hi, chart.y_label);
  const LinearScale x = detail::draw_x_axis(svg, area, x_lo, x_hi, chart.x_label);
  std::vector<std::string> names;
  for (size_t i = 0; i < series.size(); ++i) {
    names.push_back(chart.series[i].name);
    std::vector<std::pair<double, double>> pixels;
    for (const auto& [px, py] : series[i]) pixels.emplace_back(x(px), y(py));
    if (pixels.size() == 1) {
      svg.circle(pixels[0].first, pixels[0].second, 3.5, palette_color(i),
                 chart.series[i].name + ": " + format_short(series[i][0].second));
    } else if (!pixels.empty()) {
      svg.polyline(pixels, palette_color(i));
    }
  }
  detail::draw_legend(svg, area, names);
  return svg.str();
}

}  // namespace finsent::report
