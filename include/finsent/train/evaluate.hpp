// Scores a saved classifier on labeled texts: the report of eval/metrics plus per-text
// probabilities.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "finsent/eval/metrics.hpp"
#include "finsent/models/text_classifier.hpp"

namespace finsent::train {

struct Evaluation {
  eval::ClassificationReport report;            // labels: the model's labels
  std::vector<models::Prediction> predictions;  // one per text, input order
};

// Runs `classifier` over `texts` (truncated to its max length) and compares with `gold` label
// names. Throws InputError if a gold label is not one of the model's labels.
Evaluation evaluate_classifier(models::TextClassifier& classifier,
                               const std::vector<std::string>& texts,
                               const std::vector<std::string>& gold, int64_t batch_size = 64);

// Writes one JSON line per text: {"text","label","predicted","score","probabilities":{label: p}}.
void write_predictions(const std::filesystem::path& file, const std::vector<std::string>& texts,
                       const std::vector<std::string>& gold, const Evaluation& evaluation,
                       const std::vector<std::string>& labels);

}  // namespace finsent::train
