// Turning a row of logits into the ranked label/score list that /predict and `predict` print.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace finsent::serve {

struct LabelScore {
  std::string label;
  float score = 0;
};

// Numerically stable softmax (the max logit is subtracted first); same length as `logits`.
// Throws finsent::Error naming the label when a logit is NaN or infinite.
std::vector<float> softmax(std::span<const float> logits);

// One LabelScore per label, highest score first (ties keep label order). Scores are the softmax
// probabilities, or the logits themselves when raw_scores. Requires labels.size() == logits.size();
// throws finsent::Error when a logit is NaN or infinite (either way).
std::vector<LabelScore> ranked_scores(const std::vector<std::string>& labels,
                                      std::span<const float> logits, bool raw_scores);

}  // namespace finsent::serve
