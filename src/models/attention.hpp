// Multi-head attention over hidden states laid out as a TokenLayout says (every family).
#pragma once

#include <torch/torch.h>

#include "finsent/models/token_layout.hpp"

namespace finsent::models::detail {

// ops::scaled_dot_product_attention over projected q, k, v laid out as `layout` says (packed
// [tokens, hidden] or the [b, s, hidden] grid): packed projections are spread onto the grid for
// attention and the context is packed again. The additive bias is layout's key mask, or `bias`
// ([b * heads, 1 or s, s]: a position bias plus layout.attention_bias(), as MPNet has). Dropout p
// on the attention weights in training.
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const TokenLayout& layout, int64_t heads,
                                   double p, bool training);
torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const TokenLayout& layout,
                                   const torch::Tensor& bias, int64_t heads, double p,
                                   bool training);

}  // namespace finsent::models::detail
