// The notebook's linear head written as the family's Transformers head that computes the same
// logits, and back, through the family's LinearHeadFold (family.hpp).
#pragma once

#include <map>
#include <string>

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/sequence_classifier.hpp"

namespace finsent::models::detail {

// config.json key that marks a head without a Transformers class: "linear" (stored in folded
// form) or "mean" (stored as mean_classifier.*).
inline constexpr const char* kFinsentHeadKey = "finsent_head";

// The head config.json marks, or "" when none. Throws ConfigError for another value.
std::string marked_head(const ModelConfig& config);

// Rewrites `state` (the linear-head classifier's named float32 tensors) into the family's
// Transformers head with the same function (ModelFamily::linear_fold). Throws ConfigError when
// the family has no such rule.
void fold_linear_head(const SequenceClassifierImpl& model,
                      std::map<std::string, torch::Tensor>& state);

// The inverse, from a classifier loaded with the family's head: a linear head with the same
// logits. Throws WeightsError when the stored head is not a folded one (or a tensor of it is not
// in the checkpoint).
Head unfold_linear_head(SequenceClassifierImpl& folded, double dropout);

}  // namespace finsent::models::detail
