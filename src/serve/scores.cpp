// Stable softmax and ranking of one row of logits.
#include "finsent/serve/scores.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "finsent/core/error.hpp"

namespace finsent::serve {
namespace {

// Probabilities (and a ranking) from NaN or infinite logits mean nothing: refuse them.
void require_finite(std::span<const float> logits) {
  for (size_t i = 0; i < logits.size(); ++i)
    if (!std::isfinite(logits[i]))
      throw Error("the model produced a non-finite logit (" + std::to_string(logits[i]) +
                  ") for label " + std::to_string(i) + ": its weights are likely corrupt");
}

}  // namespace

std::vector<float> softmax(std::span<const float> logits) {
  require_finite(logits);
  std::vector<float> out(logits.size());
  if (logits.empty()) return out;
  // Subtracting the max keeps exp() at most 1, so large logits cannot overflow.
  const float max = *std::max_element(logits.begin(), logits.end());
  double total = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    out[i] = std::exp(logits[i] - max);
    total += out[i];
  }
  for (float& p : out) p = static_cast<float>(p / total);
  return out;
}

std::vector<LabelScore> ranked_scores(const std::vector<std::string>& labels,
                                      std::span<const float> logits, bool raw_scores) {
  if (labels.size() != logits.size())
    throw std::logic_error("ranked_scores: " + std::to_string(logits.size()) + " logits for " +
                           std::to_string(labels.size()) + " labels");
  require_finite(logits);
  std::vector<float> scores =
      raw_scores ? std::vector<float>(logits.begin(), logits.end()) : softmax(logits);
  std::vector<LabelScore> out;
  out.reserve(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) out.push_back({labels[i], scores[i]});
  std::stable_sort(out.begin(), out.end(),
                   [](const LabelScore& a, const LabelScore& b) { return a.score > b.score; });
  return out;
}

}  // namespace finsent::serve
