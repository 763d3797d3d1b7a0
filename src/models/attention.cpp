// Attention on the padded grid for hidden states that travel packed (TokenLayout).
#include "attention.hpp"

#include "finsent/ops/attention.hpp"

namespace finsent::models::detail {

torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const TokenLayout& layout, int64_t heads,
                                   double p, bool training) {
  return multi_head_attention(q, k, v, layout, layout.attention_bias(), heads, p, training);
}

torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const TokenLayout& layout,
                                   const torch::Tensor& bias, int64_t heads, double p,
                                   bool training) {
  return layout.pack(ops::scaled_dot_product_attention(layout.unpack(q), layout.unpack(k),
                                                       layout.unpack(v), bias, heads, p, training));
}

}  // namespace finsent::models::detail
