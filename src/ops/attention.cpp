// The attention core's dispatch points and generic forms: key-mask bias, softmax + dropout,
// scaled dot-product attention.
#include "finsent/ops/attention.hpp"

#include <cmath>
#include <limits>

#include "cpu/attention_cpu.hpp"
#include "cpu/softmax_dropout_cpu.hpp"
#include "cuda/cuda_kernels.hpp"
#include "dispatch.hpp"
#include "finsent/ops/dropout.hpp"
#include "generic.hpp"

namespace finsent::ops {

torch::Tensor attention_bias(const torch::Tensor& attention_mask, int64_t heads,
                             torch::ScalarType dtype) {
  const int64_t b = attention_mask.size(0), s = attention_mask.size(1);
  // Transformers adds finfo(dtype).min where the mask is 0; the same value keeps results identical.
  // Each dtype's own lowest: float's would round to -inf in bfloat16.
  double lowest = 0;
  AT_DISPATCH_FLOATING_TYPES_AND2(torch::kHalf, torch::kBFloat16, dtype, "attention_bias", [&] {
    lowest = static_cast<double>(std::numeric_limits<scalar_t>::lowest());
  });
  const torch::Tensor bias = torch::zeros({b, s}, attention_mask.options().dtype(dtype))
                                 .masked_fill(attention_mask == 0, lowest);
  return bias.view({b, 1, 1, s}).expand({b, heads, 1, s}).reshape({b * heads, 1, s});
}

torch::Tensor generic::softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias,
                                       double p, bool training) {
  return ops::dropout(torch::softmax(scores + bias, -1), p, training);
}

torch::Tensor softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias, double p,
                              bool training) {
  TORCH_CHECK(p >= 0 && p < 1, "softmax_dropout: p must be in [0, 1)");
  // The kernel reads a key mask ([.., 1, k]) or a bias per query with any strides.
  if (scores.dim() == 4 && bias.dim() >= 2 && detail::cpu_kernel_applies({scores}) &&
      detail::cpu_kernel_applies({bias}, {.contiguous = false}))
    return cpu::softmax_dropout(scores, bias, p, training);
  return generic::softmax_dropout(scores, bias, p, training);
}

torch::Tensor generic::scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                                    const torch::Tensor& v,
                                                    const torch::Tensor& bias, int64_t heads,
                                                    double p, bool training) {
  const int64_t b = q.size(0), s = q.size(1), hidden = q.size(2), head_dim = hidden / heads;
  auto split = [&](const torch::Tensor& t) {  // [b, s, hidden] -> [b * heads, s, head_dim]
    return t.view({b, s, heads, head_dim}).transpose(1, 2).reshape({b * heads, s, head_dim});
  };
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  // One fused kernel for bias + scale * q k^T.
  torch::Tensor scores = torch::baddbmm(bias, split(q), split(k).transpose(1, 2), 1.0, scale);
  torch::Tensor weights = torch::softmax(scores, -1);
  weights = ops::dropout(weights, p, training);
  torch::Tensor context = torch::bmm(weights, split(v));  // [b * heads, s, head_dim]
  return context.view({b, heads, s, head_dim}).transpose(1, 2).reshape({b, s, hidden});
}

torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training) {
  // The kernel takes the key mask's bias [b * heads, 1, s] or a bias per query [b * heads, s, s].
  if (bias.dim() == 3 && (bias.size(1) == 1 || bias.size(1) == q.size(1)) &&
      detail::cpu_kernel_applies({q, k, v}) &&
      detail::cpu_kernel_applies({bias}, {.contiguous = false}))
    return cpu::scaled_dot_product_attention(q, k, v, bias, heads, p, training);
  if (q.is_cuda() && bias.dim() == 3)
    return cuda::scaled_dot_product_attention(q, k, v, bias, heads, p, training);
  return generic::scaled_dot_product_attention(q, k, v, bias, heads, p, training);
}

}  // namespace finsent::ops
