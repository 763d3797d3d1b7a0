// Prediction collapse: a classifier that answers one class for a whole split, the usual sign of a
// head that learned the class balance and nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "finsent/eval/metrics.hpp"

namespace finsent::eval {

struct PredictionCollapse {
  std::string label;           // the one class predicted for every example
  int64_t examples = 0;        // how many examples were scored (all predicted `label`)
  double true_share = 0;       // share of examples whose true label is `label` (= the accuracy)
  bool majority = false;       // `label` is the most frequent true label (ties count)
  std::string majority_label;  // the most frequent true label (the first of ties, labels' order)
};

// From the report's confusion matrix: a collapse when at least two examples were scored, every
// prediction is one class, and some true label differs from it (a split whose examples all carry
// the predicted label is answered correctly, not collapsed). nullopt otherwise.
std::optional<PredictionCollapse> find_collapse(const ClassificationReport& report);

// {"label", "examples", "true_share", "majority", "majority_label"}.
nlohmann::json to_json(const PredictionCollapse& collapse);

}  // namespace finsent::eval
