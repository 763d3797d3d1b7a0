// Confusion matrix as a heatmap: rows are true labels, columns predictions, as SVG.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace finsent::report {

struct ConfusionHeatmap {
  std::string title;
  std::vector<std::string> labels;           // row and column order
  std::vector<std::vector<int64_t>> counts;  // [true][predicted], labels.size() squared
};

// Each cell shows its count and its share of the row (the recall of that true class), coloured by
// that share so classes of different sizes compare fairly. Throws InputError when the matrix is not
// labels.size() x labels.size() or holds a negative count.
std::string render_confusion_heatmap(const ConfusionHeatmap& heatmap);

}  // namespace finsent::report
