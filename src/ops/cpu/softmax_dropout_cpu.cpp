// The fused attention softmax kernel: SIMD row passes, forward and backward.
#include "softmax_dropout_cpu.hpp"

#include <cmath>
#include <cstring>
#include <limits>

#include "dropout_cpu.hpp"
#include "dropout_hash.hpp"
#include "parallel.hpp"

namespace finsent::ops::cpu {
namespace {

// exp(x) for x <= 0 (softmax after subtracting the row maximum), in plain arithmetic so the row
// loops vectorize: x = n ln2 + r with |r| <= ln2 / 2, exp(r) by its degree-6 Taylor polynomial
// (relative error < 2e-7 there), 2^n through the exponent bits. Below -87.3 the result is 0, so
// padded keys (bias = float's lowest) get exactly 0 as in LibTorch.
[[gnu::always_inline]] inline float exp_nonpositive(float x) {
  const float n = std::nearbyint(x * 1.44269504f);
  const float r = (x - n * 0.693145752f) - n * 1.42860677e-6f;  // ln2 in two parts
  float p = 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof(scale));
  return x < -87.3f ? 0.0f : p * scale;
}

struct RowShape {
  int64_t heads, queries, keys;
  // The bias's keys are contiguous; a key-only bias has query stride 0.
  int64_t bias_batch_stride, bias_head_stride, bias_query_stride;
};

// Rows [begin, end) of the [b * heads * q, k] view; weights may alias probs (no dropout). Rows are
// short (k = the batch's padded length), so the costly per-element work (exp, the mask hash) runs
// in flat loops over the whole range, where a short row's scalar remainder would dominate.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("avx512f", "avx2", "default")]]
#endif
void forward_rows(const float* scores, const float* bias, float* probs, float* weights,
                  int64_t begin, int64_t end, RowShape shape, bool drop, uint64_t seed,
                  uint32_t threshold, float scale) {
  const int64_t k = shape.keys;
  for (int64_t row = begin; row < end; ++row) {
    const int64_t bh = row / shape.queries;
    const float* b = bias + (bh / shape.heads) * shape.bias_batch_stride +
                     (bh % shape.heads) * shape.bias_head_stride +
                     (row % shape.queries) * shape.bias_query_stride;
    const float* in = scores + row * k;
    float* p = probs + row * k;
    float max = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : max)
    for (int64_t j = 0; j < k; ++j) max = std::max(max, in[j] + b[j]);
    for (int64_t j = 0; j < k; ++j) p[j] = (in[j] + b[j]) - max;
  }
  for (int64_t i = begin * k; i < end * k; ++i) probs[i] = exp_nonpositive(probs[i]);
  for (int64_t row = begin; row < end; ++row) {
    float* p = probs + row * k;
    float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
    for (int64_t j = 0; j < k; ++j) sum += p[j];
    const float inv = 1.0f / sum;
    for (int64_t j = 0; j < k; ++j) p[j] *= inv;
  }
  if (!drop) return;
  for (int64_t i = begin * k; i < end * k; ++i)
    weights[i] = dropout_draw(seed, i) >= threshold ? probs[i] * scale : 0.0f;
}

// grad_scores = P * (dP - sum(dP * P)) with dP the weights' gradient through the mask.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("avx512f", "avx2", "default")]]
#endif
void backward_rows(const float* probs, const float* grad_weights, float* grad_scores,
                   int64_t begin, int64_t end, int64_t k, bool drop, uint64_t seed,
                   uint32_t threshold, float scale) {
  for (int64_t i = begin * k; i < end * k; ++i)
    grad_scores[i] = !drop || dropout_draw(seed, i) >= threshold ? grad_weights[i] * scale : 0.0f;
  for (int64_t row = begin; row < end; ++row) {
    const float* p = probs + row * k;
    float* gs = grad_scores + row * k;
    float dot = 0.0f;
#pragma omp simd reduction(+ : dot)
    for (int64_t j = 0; j < k; ++j) dot += gs[j] * p[j];
    for (int64_t j = 0; j < k; ++j) gs[j] = p[j] * (gs[j] - dot);
  }
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct SoftmaxDropoutFunction : public torch::autograd::Function<SoftmaxDropoutFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& scores,
                               const torch::Tensor& bias, double p) {
    const int64_t b = scores.size(0), heads = scores.size(1), q = scores.size(2),
                  k = scores.size(3);
    // Keys contiguous, so the row loops read the bias as plainly as the scores.
    const torch::Tensor bias4 = bias.contiguous().expand({b, heads, bias.size(-2), k});
    const RowShape shape{
        heads, q, k, bias4.stride(0), bias4.stride(1), bias4.size(2) == 1 ? 0 : bias4.stride(2)};
    const bool drop = p > 0;
    const uint64_t seed = drop ? next_dropout_seed() : 0;
    const uint32_t threshold = dropout_threshold(p);
    const float scale = static_cast<float>(1.0 / (1.0 - p));
    torch::Tensor probs = torch::empty_like(scores);
    torch::Tensor weights = drop ? torch::empty_like(scores) : probs;
    const float* s = scores.data_ptr<float>();
    const float* bp = bias4.data_ptr<float>();
    float* pp = probs.data_ptr<float>();
    float* wp = weights.data_ptr<float>();
    const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(k, 1));
    at::parallel_for(0, b * heads * q, grain, [&](int64_t begin, int64_t end) {
      forward_rows(s, bp, pp, wp, begin, end, shape, drop, seed, threshold, scale);
    });
    ctx->save_for_backward({probs});
    ctx->saved_data["bias_sizes"] = bias.sizes();
    ctx->saved_data["seed"] = static_cast<int64_t>(seed);
    ctx->saved_data["p"] = p;
    return weights;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const torch::Tensor probs = ctx->get_saved_variables()[0];
    const torch::Tensor grad = grad_outputs[0].contiguous();
    const double p = ctx->saved_data["p"].toDouble();
    const bool drop = p > 0;
    const auto seed = static_cast<uint64_t>(ctx->saved_data["seed"].toInt());
    const uint32_t threshold = dropout_threshold(p);
    const float scale = drop ? static_cast<float>(1.0 / (1.0 - p)) : 1.0f;
    torch::Tensor grad_scores = torch::empty_like(probs);
    const int64_t k = probs.size(3);
    const float* pp = probs.data_ptr<float>();
    const float* gp = grad.data_ptr<float>();
    float* out = grad_scores.data_ptr<float>();
    const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(k, 1));
    at::parallel_for(0, probs.numel() / std::max<int64_t>(k, 1), grain,
                     [&](int64_t begin, int64_t end) {
                       backward_rows(pp, gp, out, begin, end, k, drop, seed, threshold, scale);
                     });
    // d(scores + bias) reaches the bias as it reaches the scores, summed over what it broadcast.
    torch::Tensor grad_bias;
    if (ctx->needs_input_grad(1))
      grad_bias = grad_scores.sum_to_size(ctx->saved_data["bias_sizes"].toIntVector());
    return {grad_scores, grad_bias, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias, double p,
                              bool training) {
  if (scores.numel() == 0) return torch::softmax(scores, -1);
  return SoftmaxDropoutFunction::apply(scores, bias, training ? p : 0.0);
}

}  // namespace finsent::ops::cpu
