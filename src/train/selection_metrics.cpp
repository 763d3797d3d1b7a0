// Accuracy and macro-F1 for per-epoch selection (the full report is eval/metrics).
#include "finsent/train/selection_metrics.hpp"

#include <array>
#include <map>

namespace finsent::train {

SelectionScores selection_scores(const std::vector<int>& y_true, const std::vector<int>& y_pred) {
  SelectionScores s;
  if (y_true.empty()) return s;
  // Per-class counts in one pass (linear in examples + classes, however many classes).
  std::map<int, std::array<double, 3>> counts;  // class -> {tp, fp, fn}, present classes only
  size_t correct = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    const int t = y_true[i], p = y_pred[i];
    correct += t == p;
    if (t == p) {
      counts[t][0] += 1;
    } else {
      counts[p][1] += 1;
      counts[t][2] += 1;
    }
  }
  s.accuracy = static_cast<double>(correct) / static_cast<double>(y_true.size());
  double f1_sum = 0;
  for (const auto& [c, n] : counts) {
    const double tp = n[0], fp = n[1], fn = n[2];
    f1_sum += tp == 0 ? 0.0 : 2 * tp / (2 * tp + fp + fn);
  }
  s.macro_f1 = f1_sum / static_cast<double>(counts.size());
  return s;
}

}  // namespace finsent::train
