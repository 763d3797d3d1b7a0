// AdamW's arithmetic in the reference's order of operations, fused into one pass per element.
#include "adamw_cpu.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace finsent::ops::cpu {
namespace {

// torch.optim.AdamW's single-tensor step as two passes over a parameter's elements around ATen's
// own sqrt (the reference runs seven whole-tensor ops; on MiniLM that is 1.6 GB of memory traffic
// a step). Each operation is ATen's float kernel with its double scalars cast to float, in the
// same order: lerp_ and addcmul_ are fused multiply-adds in ATen's vectorized kernels, so they are
// std::fma here, and this file is built with -ffp-contract=off so nothing else fuses. The square
// root is ATen's (LibTorch 2.x's vectorized sqrt is not correctly rounded: 1 ulp off std::sqrt on
// about one element in six), so the results are the reference's bit for bit (tested).
struct AdamWScalars {
  float grad_scale, decay, lerp_weight, beta2, one_minus_beta2, bias_correction2_sqrt, eps,
      neg_step_size;
};

// The x86-64-v3/v4 clones have hardware FMA (std::fma is a library call in the baseline clone).
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]]
#endif
void moments_range(const float* __restrict g, float* __restrict m, float* __restrict v,
                   int64_t begin, int64_t end, const AdamWScalars s) {
  const bool small_weight = std::abs(s.lerp_weight) < 0.5f;
  const float other_weight = 1.0f - s.lerp_weight;
  for (int64_t i = begin; i < end; ++i) {
    const float grad = g[i] * s.grad_scale;  // clipping: g.mul_(coef)
    m[i] = small_weight                      // m.lerp_(g, 1 - b1)
               ? std::fma(s.lerp_weight, grad - m[i], m[i])
               : std::fma(-(grad - m[i]), other_weight, grad);
    v[i] = std::fma(s.one_minus_beta2 * grad, grad, v[i] * s.beta2);  // v.mul_(b2).addcmul_(g, g)
  }
}

// p.mul_(1 - lr wd); p.addcdiv_(m, sqrt(v) / sqrt(bc2) + eps, -step_size), with sqrt(v) given.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]]
#endif
void params_range(float* __restrict p, const float* __restrict m, const float* __restrict sqrt_v,
                  int64_t begin, int64_t end, const AdamWScalars s) {
  for (int64_t i = begin; i < end; ++i) {
    const float denom = sqrt_v[i] / s.bias_correction2_sqrt + s.eps;
    p[i] = p[i] * s.decay + s.neg_step_size * m[i] / denom;
  }
}

// A row-sparse gradient (an embedding's, sparse COO over dim 0): rows with an entry step with it,
// the others with a zero gradient, so m, v and the weights decay exactly as under the dense zeros
// the reference steps with. What is saved is the dense gradient's zero fill, norm and read.
void moments_sparse_rows(float* m, float* v, int64_t rows, const torch::Tensor& grad,
                         const AdamWScalars& scalars) {
  const torch::Tensor g = grad.coalesce();  // duplicate rows summed
  TORCH_CHECK(g.sparse_dim() == 1, "AdamW: sparse gradients must be sparse over dim 0 only");
  const int64_t cols = rows > 0 ? g.numel() / rows : 0;
  const torch::Tensor index = g._indices()[0].contiguous();
  const torch::Tensor values = g._values().contiguous();
  std::vector<int64_t> slot(static_cast<size_t>(rows), -1);
  const int64_t* ip = index.data_ptr<int64_t>();
  for (int64_t i = 0; i < index.numel(); ++i) slot[static_cast<size_t>(ip[i])] = i;
  const float* vals = values.data_ptr<float>();
  const std::vector<float> zeros(static_cast<size_t>(cols), 0.0f);
  const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 14) / std::max<int64_t>(cols, 1));
  at::parallel_for(0, rows, grain, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t entry = slot[static_cast<size_t>(r)];
      const float* gr = entry >= 0 ? vals + entry * cols : zeros.data();
      moments_range(gr, m + r * cols, v + r * cols, 0, cols, scalars);
    }
  });
}

// Whether any of v[0, n) is not zero (a zero row of v is an embedding row no batch has touched).
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")]]
#endif
bool any_nonzero(const float* __restrict v, int64_t n) {
  bool any = false;
  for (int64_t i = 0; i < n; ++i) any |= v[i] != 0.0f;
  return any;
}

// The weights' update of a row-sparse-gradient parameter [rows, cols]: ATen's sqrt runs over the
// rows of v that are not all zero, packed into one buffer, and the zero rows take sqrt(0) = 0 as
// it is. ATen's CPU sqrt is MKL's, which on this project's AMD machines runs zeros through a slow
// special-case path (64 ms for MiniLM's 11.7M zero word-embedding entries, 6.7% of a training
// epoch); the packed rows give the same results, element by element (tested).
void params_sparse_rows(float* p, const float* m, const float* v, int64_t rows, int64_t cols,
                        const AdamWScalars& scalars) {
  std::vector<int64_t> packed_row(static_cast<size_t>(rows), -1);
  at::parallel_for(0, rows, 256, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r)
      if (any_nonzero(v + r * cols, cols)) packed_row[static_cast<size_t>(r)] = 0;
  });
  int64_t packed_rows = 0;
  for (int64_t& slot : packed_row)
    if (slot == 0) slot = packed_rows++;
  torch::Tensor packed = torch::empty({packed_rows, cols}, torch::kFloat32);
  float* sq = packed.data_ptr<float>();
  at::parallel_for(0, rows, 256, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r)
      if (const int64_t slot = packed_row[static_cast<size_t>(r)]; slot >= 0)
        std::copy_n(v + r * cols, cols, sq + slot * cols);
  });
  packed.sqrt_();  // ATen's kernel, as the reference's
  const std::vector<float> zeros(static_cast<size_t>(cols), 0.0f);
  at::parallel_for(0, rows, 256, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t slot = packed_row[static_cast<size_t>(r)];
      params_range(p + r * cols, m + r * cols, slot >= 0 ? sq + slot * cols : zeros.data(), 0, cols,
                   scalars);
    }
  });
}

}  // namespace

void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper) {
  const double bias_correction1 = 1.0 - std::pow(hyper.beta1, static_cast<double>(hyper.step));
  const double bias_correction2 = 1.0 - std::pow(hyper.beta2, static_cast<double>(hyper.step));
  const double step_size = hyper.lr / bias_correction1;
  const AdamWScalars scalars{hyper.grad_scale,
                             static_cast<float>(1.0 - hyper.lr * hyper.weight_decay),
                             static_cast<float>(1.0 - hyper.beta1),
                             static_cast<float>(hyper.beta2),
                             static_cast<float>(1.0 - hyper.beta2),
                             static_cast<float>(std::sqrt(bias_correction2)),
                             static_cast<float>(hyper.eps),
                             static_cast<float>(-step_size)};
  float* pp = param.data_ptr<float>();
  float* mp = exp_avg.data_ptr<float>();
  float* vp = exp_avg_sq.data_ptr<float>();
  if (grad.is_sparse()) {
    moments_sparse_rows(mp, vp, param.size(0), grad, scalars);
    const int64_t rows = param.size(0), cols = rows > 0 ? param.numel() / rows : 0;
    params_sparse_rows(pp, mp, vp, rows, cols, scalars);
  } else {
    const float* gp = grad.data_ptr<float>();
    at::parallel_for(0, param.numel(), 1 << 14, [&](int64_t begin, int64_t end) {
      moments_range(gp, mp, vp, begin, end, scalars);
    });
    const torch::Tensor sqrt_v = exp_avg_sq.sqrt();  // ATen's kernel, as the reference's
    const float* sp = sqrt_v.data_ptr<float>();
    at::parallel_for(0, param.numel(), 1 << 14, [&](int64_t begin, int64_t end) {
      params_range(pp, mp, sp, begin, end, scalars);
    });
  }
  // Written through raw pointers: move the version counters as in-place ops do, so what caches on
  // them (the packed weights of linear_cpu, autograd's saved-tensor checks) sees the change.
  for (const torch::Tensor* t : {&param, &exp_avg, &exp_avg_sq})
    t->unsafeGetTensorImpl()->bump_version();
}

}  // namespace finsent::ops::cpu
