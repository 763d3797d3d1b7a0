// sklearn.utils.class_weight.compute_class_weight("balanced") for integer labels.
#include "finsent/train/class_weights.hpp"

#include "finsent/core/error.hpp"

namespace finsent::train {

std::vector<double> balanced_class_weights(const std::vector<int>& labels, int n_classes) {
  std::vector<double> counts(static_cast<size_t>(n_classes), 0.0);
  for (int y : labels) {
    if (y < 0 || y >= n_classes)
      throw InputError("label id " + std::to_string(y) + " out of range");
    counts[static_cast<size_t>(y)] += 1;
  }
  std::vector<double> weights(counts.size());
  for (size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] == 0)
      throw InputError("--class-weights balanced: class " + std::to_string(c) +
                       " has no training example");
    weights[c] = static_cast<double>(labels.size()) / (static_cast<double>(n_classes) * counts[c]);
  }
  return weights;
}

}  // namespace finsent::train
