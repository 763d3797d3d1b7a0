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
  eval::ClassificationReport report;            // labels: gold and predicted, sorted
  std::vector<models::Prediction> predictions;  // one per text, input order
};

// Runs `classifier` over `texts` (truncated to its max length) and scores the predicted label names
// against `gold` with scikit-learn's label-set rules (eval::classification_report): a gold label
// the model does not know is reported (recall 0, never predicted). Throws InputError when the
// counts differ or there are no texts.
Evaluation evaluate_classifier(models::TextClassifier& classifier,
                               const std::vector<std::string>& texts,
                               const std::vector<std::string>& gold, int64_t batch_size = 64);

// Writes one JSON line per text: {"text","label","predicted","score","probabilities":{label: p}}.
void write_predictions(const std::filesystem::path& file, const std::vector<std::string>& texts,
                       const std::vector<std::string>& gold, const Evaluation& evaluation,
                       const std::vector<std::string>& labels);

}  // namespace finsent::train
