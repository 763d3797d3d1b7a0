// Shared chart furniture (internal): canvas size, title, numeric axes with grid lines, legend.
#pragma once

#include <string>
#include <vector>

#include "finsent/report/axis.hpp"
#include "finsent/report/svg_canvas.hpp"

namespace finsent::report::detail {

inline constexpr double kChartWidth = 640;
inline constexpr double kChartHeight = 360;
inline constexpr const char* kAxisColor = "#444";
inline constexpr const char* kGridColor = "#e3e3e3";

// The plotting rectangle inside the margins.
struct PlotArea {
  double left = 70, top = 44, right = kChartWidth - 24, bottom = kChartHeight - 56;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

void draw_title(SvgCanvas& svg, const std::string& title);

// Nice ticks over [lo, hi], horizontal grid lines, tick labels on the left and the axis label
// rotated along the axis. Returns the scale from data to y pixels (domain = the outer ticks).
LinearScale draw_y_axis(SvgCanvas& svg, const PlotArea& area, double lo, double hi,
                        const std::string& label);

// The same for a numeric x axis (vertical grid lines, labels below).
LinearScale draw_x_axis(SvgCanvas& svg, const PlotArea& area, double lo, double hi,
                        const std::string& label);

// The x axis title centred under the plot.
void draw_x_label(SvgCanvas& svg, const PlotArea& area, const std::string& label);

// A legend row above the plot's top-right corner: a colour swatch and a name per entry.
void draw_legend(SvgCanvas& svg, const PlotArea& area, const std::vector<std::string>& names);

// "no data" in the middle of the plot area.
void draw_no_data(SvgCanvas& svg, const PlotArea& area);

}  // namespace finsent::report::detail
