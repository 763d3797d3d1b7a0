// Grouped vertical bar chart with value and share labels on each bar.
#include "finsent/report/bar_chart.hpp"

#include <algorithm>
#include <cmath>

#include "chart_frame.hpp"
#include "finsent/core/error.hpp"
#include "finsent/report/number_format.hpp"

namespace finsent::report {
namespace {

std::string value_text(double v) {
  return v == std::floor(v) && std::abs(v) < 1e15 ? format_fixed(v, 0) : format_short(v);
}

}  // namespace

std::string render_bar_chart(const BarChart& chart) {
  double max_value = 0;
  for (const BarGroup& g : chart.groups) {
    if (g.values.size() != chart.categories.size()) {
      throw InputError("bar chart '" + chart.title + "': group '" + g.name + "' has " +
                       std::to_string(g.values.size()) + " values for " +
                       std::to_string(chart.categories.size()) + " categories");
    }
    for (double v : g.values) {
      if (!std::isfinite(v) || v < 0) {
        throw InputError("bar chart '" + chart.title + "': values must be finite and >= 0");
      }
      max_value = std::max(max_value, v);
    }
  }
  SvgCanvas svg(detail::kChartWidth, detail::kChartHeight, chart.title,
                "Bar chart: " + chart.y_label + " per category");
  detail::draw_title(svg, chart.title);
  detail::PlotArea area;
  if (chart.categories.empty() || chart.groups.empty()) {
    detail::draw_no_data(svg, area);
    return svg.str();
  }
  // Headroom for the labels printed above the tallest bar.
  const LinearScale y = detail::draw_y_axis(svg, area, 0, max_value * 1.18, chart.y_label);
  const double slot = area.width() / static_cast<double>(chart.categories.size());
  const double group_width = slot * 0.8;
  const double bar_width = group_width / static_cast<double>(chart.groups.size());
  const double label_size = chart.groups.size() > 2 ? 9.5 : 11;
  for (size_t gi = 0; gi < chart.groups.size(); ++gi) {
    const BarGroup& group = chart.groups[gi];
    double total = 0;
    for (double v : group.values) total += v;
    for (size_t ci = 0; ci < chart.categories.size(); ++ci) {
      const double v = group.values[ci];
      const double x = area.left + slot * static_cast<double>(ci) + (slot - group_width) / 2 +
                       bar_width * static_cast<double>(gi);
      const double top = y(v);
      std::string share = total > 0 ? format_percent(v / total) : "";
      std::string tooltip = chart.categories[ci] +
                            (group.name.empty() ? "" : " (" + group.name + ")") + ": " +
                            value_text(v) + (share.empty() ? "" : ", " + share);
      svg.rect(x + 1, top, bar_width - 2, area.bottom - top, palette_color(gi), tooltip);
      const double cx = x + bar_width / 2;
      svg.text(cx, top - 4, value_text(v), {.size = label_size, .anchor = Anchor::Middle});
      if (chart.show_share && !share.empty()) {
        svg.text(cx, top - 5 - label_size, share,
                 {.size = label_size - 1, .anchor = Anchor::Middle, .fill = "#666"});
      }
    }
  }
  for (size_t ci = 0; ci < chart.categories.size(); ++ci) {
    svg.text(area.left + slot * (static_cast<double>(ci) + 0.5), area.bottom + 18,
             chart.categories[ci], {.size = 12, .anchor = Anchor::Middle});
  }
  svg.line(area.left, area.bottom, area.right, area.bottom, detail::kAxisColor);
  if (chart.groups.size() > 1) {
    std::vector<std::string> names;
    for (const BarGroup& g : chart.groups) names.push_back(g.name);
    detail::draw_legend(svg, area, names);
  }
  return svg.str();
}

}  // namespace finsent::report
