// Line chart of one or more series over a numeric x axis (loss, learning rate per step), as SVG.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace finsent::report {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), x ascending; non-finite y are skipped
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<Series> series;
};

// Axes from nice ticks over all finite points, one coloured polyline per series (a dot when it has
// a single point) and a legend. Series beyond 2000 points are thinned to every k-th point (the last
// one kept) so a long run stays a small file. No finite point: the chart shows "no data".
std::string render_line_chart(const LineChart& chart);

}  // namespace finsent::report
