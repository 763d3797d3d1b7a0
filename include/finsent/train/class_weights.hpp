// Per-class loss weights: none, or "balanced" as scikit-learn's compute_class_weight.
#pragma once

#include <string>
#include <vector>

namespace finsent::train {

// "balanced": weight[c] = n_samples / (n_classes * count[c]) over label ids in [0, n_classes).
// Throws InputError if a class in [0, n_classes) has no example (sklearn refuses it too).
std::vector<double> balanced_class_weights(const std::vector<int>& labels, int n_classes);

}  // namespace finsent::train
