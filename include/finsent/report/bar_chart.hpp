// Vertical bar chart (e.g. examples per class), rendered as a standalone SVG.
#pragma once

#include <string>
#include <vector>

namespace finsent::report {

struct BarGroup {
  std::string name;            // legend entry ("all", "train", "test"); may be empty for one group
  std::vector<double> values;  // one per category, >= 0
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;
  // One or more groups drawn side by side per category. Each bar is labelled with its value and,
  // when show_share is set, its share of its group's total ("2,879 (59.4%)").
  std::vector<BarGroup> groups;
  bool show_share = true;
};

// Throws InputError when a group's value count differs from the category count or a value is
// negative or not finite.
std::string render_bar_chart(const BarChart& chart);

}  // namespace finsent::report
