// Pieces shared by the BERT and DistilBERT blocks: activations and masked multi-head attention.
#pragma once

#include <string>

#include <torch/torch.h>

#include "finsent/models/encoder.hpp"
#include "finsent/models/token_layout.hpp"

namespace finsent::models::detail {

// "gelu" (exact, erf), "gelu_new" (tanh approximation), "relu"; the config is validated before.
Activation parse_activation(const std::string& name);
torch::Tensor activate(const torch::Tensor& x, Activation act);

// attention_mask [b, s] (1 = token, 0 = padding) -> additive bias [b * heads, 1, s] in `dtype`:
// 0 for tokens, the dtype's lowest value for padding (softmax then gives padding exactly 0).
torch::Tensor attention_bias(const torch::Tensor& attention_mask, int64_t heads,
                             torch::ScalarType dtype);

// Scaled dot-product attention over projected q, k, v [b, s, hidden] split into `heads` heads:
// softmax(q k^T / sqrt(head_dim) + bias) v, with dropout on the weights in training.
// Returns [b, s, hidden], contiguous.
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const torch::Tensor& bias, int64_t heads,
                                   double dropout, bool training);

// The same over q, k, v laid out as `layout` says (packed [tokens, hidden] or the grid): packed
// projections are spread onto the grid for attention and the context is packed again.
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const TokenLayout& layout, int64_t heads,
                                   double dropout, bool training);

}  // namespace finsent::models::detail
