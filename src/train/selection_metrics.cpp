// Accuracy and macro-F1 for per-epoch selection (the full report is eval/metrics).
#include "finsent/train/selection_metrics.hpp"

#include <algorithm>
#include <set>

namespace finsent::train {

SelectionScores selection_scores(const std::vector<int>& y_true, const std::vector<int>& y_pred) {
  SelectionScores s;
  if (y_true.empty()) return s;
  std::set<int> classes(y_true.begin(), y_true.end());
  classes.insert(y_pred.begin(), y_pred.end());
  size_t correct = 0;
  for (size_t i = 0; i < y_true.size(); ++i) correct += y_true[i] == y_pred[i];
  s.accuracy = static_cast<double>(correct) / static_cast<double>(y_true.size());
  double f1_sum = 0;
  for (int c : classes) {
    double tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < y_true.size(); ++i) {
      tp += y_true[i] == c && y_pred[i] == c;
      fp += y_true[i] != c && y_pred[i] == c;
      fn += y_true[i] == c && y_pred[i] != c;
    }
    f1_sum += tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
  }
  s.macro_f1 = f1_sum / static_cast<double>(classes.size());
  return s;
}

}  // namespace finsent::train
