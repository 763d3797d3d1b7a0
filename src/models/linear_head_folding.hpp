// The notebook's linear head written as a Transformers head that computes the same logits, and
// back.
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

// The head config.json marks, or "" when none.
std::string marked_head(const ModelConfig& config);

// Rewrites `state` (the linear-head classifier's named float32 tensors) into the family's
// Transformers head with the same function:
//  distilbert: pre_classifier = I with bias c, where c_i > |x_i| for every possible [CLS] vector x
//    (a LayerNorm output is bounded: |x_i| <= |gamma_i| sqrt(d - 1) + |beta_i|), so ReLU(x + c) = x
//    + c; classifier bias b - W c.
//  bert: pooler = eps I (eps a power of two small enough that tanh(eps x) = eps x to float
//    precision), classifier weight W / eps (exact: a power of two).
void fold_linear_head(const SequenceClassifierImpl& model,
                      std::map<std::string, torch::Tensor>& state);

// The inverse, from a classifier loaded with the family's head: a linear head with the same
// logits. Throws WeightsError when the stored head is not a folded one.
Head unfold_linear_head(SequenceClassifierImpl& folded, double dropout);

}  // namespace finsent::models::detail
