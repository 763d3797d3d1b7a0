// Attention over the heads in place: q k^T and weights v as strided oneDNN matmuls, with autograd.
#include "attention_cpu.hpp"

#include <cmath>

#include "softmax_dropout_cpu.hpp"
#include "strided_matmul.hpp"

namespace finsent::ops::cpu {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// [b, s, heads * head_dim] -> [b, heads, s, head_dim], a view.
torch::Tensor by_head(const torch::Tensor& t, int64_t heads) {
  return t.view({t.size(0), t.size(1), heads, t.size(2) / heads}).transpose(1, 2);
}

// scale * q k^T per head: q, k [b, s, hidden] contiguous -> scores [b, heads, s, s].
struct HeadScores : public torch::autograd::Function<HeadScores> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& q, const torch::Tensor& k,
                               int64_t heads, double scale) {
    ctx->save_for_backward({q, k});
    ctx->saved_data["heads"] = heads;
    ctx->saved_data["scale"] = scale;
    const int64_t b = q.size(0), s = q.size(1);
    torch::Tensor scores = torch::empty({b, heads, s, s}, q.options());
    strided_matmul(by_head(q, heads), by_head(k, heads).transpose(2, 3), scores,
                   static_cast<float>(scale));
    return scores;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const int64_t heads = ctx->saved_data["heads"].toInt();
    const auto scale = static_cast<float>(ctx->saved_data["scale"].toDouble());
    const torch::Tensor g = grads[0].contiguous();
    torch::Tensor dq = torch::empty_like(saved[0]), dk = torch::empty_like(saved[1]);
    torch::Tensor dq_by_head = by_head(dq, heads), dk_by_head = by_head(dk, heads);
    strided_matmul(g, by_head(saved[1], heads), dq_by_head, scale);                  // dS k
    strided_matmul(g.transpose(2, 3), by_head(saved[0], heads), dk_by_head, scale);  // dS^T q
    return {dq, dk, torch::Tensor(), torch::Tensor()};
  }
};

// weights v per head, written in [b, s, hidden] order: weights [b, heads, s, s] contiguous,
// v [b, s, hidden] contiguous.
struct HeadContext : public torch::autograd::Function<HeadContext> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& weights,
                               const torch::Tensor& v) {
    ctx->save_for_backward({weights, v});
    const int64_t heads = weights.size(1);
    torch::Tensor context = torch::empty_like(v);
    torch::Tensor context_by_head = by_head(context, heads);
    strided_matmul(weights, by_head(v, heads), context_by_head);
    return context;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& weights = saved[0];
    const int64_t heads = weights.size(1);
    const torch::Tensor g = by_head(grads[0].contiguous(), heads);
    torch::Tensor dweights = torch::empty_like(weights);
    torch::Tensor dv = torch::empty_like(saved[1]);
    torch::Tensor dv_by_head = by_head(dv, heads);
    strided_matmul(g, by_head(saved[1], heads).transpose(2, 3), dweights);  // dC v^T
    strided_matmul(weights.transpose(2, 3), g, dv_by_head);                 // P^T dC
    return {dweights, dv};
  }
};

}  // namespace

torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training) {
  const int64_t b = q.size(0), s = q.size(1), head_dim = q.size(2) / heads;
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const torch::Tensor weights = softmax_dropout(
      HeadScores::apply(q, k, heads, scale), bias.view({b, heads, bias.size(1), s}), p, training);
  return HeadContext::apply(weights, v);
}

}  // namespace finsent::ops::cpu
