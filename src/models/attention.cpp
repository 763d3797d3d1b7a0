// Masked multi-head attention and activations, written to avoid per-layer copies where LibTorch
// allows.
#include "attention.hpp"

#include <ATen/autocast_mode.h>

#include <cmath>
#include <limits>

#include "dropout.hpp"
#include "strided_matmul.hpp"

namespace finsent::models::detail {

Activation parse_activation(const std::string& name) {
  if (name == "gelu_new") return Activation::GeluNew;
  if (name == "relu") return Activation::Relu;
  return Activation::Gelu;
}

torch::Tensor activate(const torch::Tensor& x, Activation act) {
  switch (act) {
    case Activation::GeluNew:
      return torch::gelu(x, "tanh");
    case Activation::Relu:
      return torch::relu(x);
    case Activation::Gelu:
      break;
  }
  return torch::gelu(x);
}

torch::Tensor attention_bias(const torch::Tensor& attention_mask, int64_t heads,
                             torch::ScalarType dtype) {
  const int64_t b = attention_mask.size(0), s = attention_mask.size(1);
  // Transformers adds finfo(dtype).min where the mask is 0; the same value keeps results identical.
  const double lowest = dtype == torch::kDouble
                            ? std::numeric_limits<double>::lowest()
                            : static_cast<double>(std::numeric_limits<float>::lowest());
  torch::Tensor bias = (attention_mask == 0).to(dtype) * lowest;  // [b, s]
  return bias.view({b, 1, 1, s}).expand({b, heads, 1, s}).reshape({b * heads, 1, s});
}

torch::Tensor multi_head_attention(const torch::Tensor& q, const torch::Tensor& k,
                                   const torch::Tensor& v, const torch::Tensor& bias, int64_t heads,
                                   double dropout, bool training) {
  const int64_t b = q.size(0), s = q.size(1), hidden = q.size(2), head_dim = hidden / heads;
  auto split = [&](const torch::Tensor& t) {  // [b, s, hidden] -> [b * heads, s, head_dim]
    return t.view({b, s, heads, head_dim}).transpose(1, 2).reshape({b * heads, s, head_dim});
  };
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const bool needs_grad = torch::GradMode::is_enabled() &&
                          (q.requires_grad() || k.requires_grad() || v.requires_grad());
  if (!needs_grad && !(training && dropout > 0) && q.scalar_type() == torch::kFloat32 &&
      k.scalar_type() == torch::kFloat32 && v.scalar_type() == torch::kFloat32 &&
      bias.scalar_type() == torch::kFloat32 && q.device().is_cpu() &&
      !at::autocast::is_cpu_enabled() && q.is_contiguous() && k.is_contiguous() &&
      v.is_contiguous()) {
    // Inference: the heads are read in place from [b, s, hidden], the context written in place.
    auto by_head = [&](const torch::Tensor& t) {  // [b, heads, s, head_dim], a view
      return t.view({b, s, heads, head_dim}).transpose(1, 2);
    };
    torch::Tensor scores = torch::empty({b, heads, s, s}, q.options());
    strided_matmul(by_head(q), by_head(k).transpose(2, 3), scores, static_cast<float>(scale));
    scores.add_(bias.view({b, heads, 1, s}));
    const torch::Tensor weights = torch::softmax(scores, -1);
    torch::Tensor context = torch::empty({b, s, hidden}, q.options());
    torch::Tensor context_by_head = by_head(context);
    strided_matmul(weights, by_head(v), context_by_head);
    return context;
  }
  // One fused kernel for bias + scale * q k^T.
  torch::Tensor scores = torch::baddbmm(bias, split(q), split(k).transpose(1, 2), 1.0, scale);
  torch::Tensor weights = torch::softmax(scores, -1);
  weights = detail::dropout(weights, dropout, training);
  torch::Tensor context = torch::bmm(weights, split(v));  // [b * heads, s, head_dim]
  return context.view({b, heads, s, head_dim}).transpose(1, 2).reshape({b, s, hidden});
}

}  // namespace finsent::models::detail
