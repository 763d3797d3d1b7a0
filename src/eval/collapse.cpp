// find_collapse: one predicted class for a whole split, read off the confusion matrix.
#include "finsent/eval/collapse.hpp"

#include <vector>

namespace finsent::eval {

std::optional<PredictionCollapse> find_collapse(const ClassificationReport& report) {
  const auto& cm = report.confusion_matrix;
  const size_t k = cm.size();
  std::vector<int64_t> predicted(k, 0), truth(k, 0);
  int64_t n = 0;
  for (size_t t = 0; t < k; ++t)
    for (size_t p = 0; p < cm[t].size() && p < k; ++p) {
      predicted[p] += cm[t][p];
      truth[t] += cm[t][p];
      n += cm[t][p];
    }
  size_t classes_predicted = 0, label = 0, majority = 0;
  for (size_t c = 0; c < k; ++c) {
    if (predicted[c] > 0) {
      ++classes_predicted;
      label = c;
    }
    if (truth[c] > truth[majority]) majority = c;
  }
  if (n < 2 || classes_predicted != 1 || truth[label] == n) return std::nullopt;
  PredictionCollapse out;
  out.label = report.labels.at(label);
  out.examples = n;
  out.true_share = static_cast<double>(truth[label]) / static_cast<double>(n);
  out.majority = truth[label] == truth[majority];
  out.majority_label = report.labels.at(majority);
  return out;
}

nlohmann::json to_json(const PredictionCollapse& collapse) {
  return {{"label", collapse.label},
          {"examples", collapse.examples},
          {"true_share", collapse.true_share},
          {"majority", collapse.majority},
          {"majority_label", collapse.majority_label}};
}

}  // namespace finsent::eval
