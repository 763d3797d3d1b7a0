// AdamW's arithmetic in the reference's order of operations, fused into one pass per element.
#include "adamw_cpu.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "parallel.hpp"

namespace finsent::ops::cpu {
namespace {

// torch.optim.AdamW's single-tensor step as two passes over each chunk of a parameter's elements
// around ATen's own sqrt (the reference runs seven whole-tensor ops; on MiniLM that is 1.6 GB of
// memory traffic a step). Each operation is ATen's float kernel with its double scalars cast to
// float, in the same order: lerp_ and addcmul_ are fused multiply-adds in ATen's vectorized
// kernels, so they are std::fma here, and this file is built with -ffp-contract=off so nothing else
// fuses. The square root is ATen's (the wheel's is MKL's vector sqrt, not correctly rounded: 1 ulp
// off std::sqrt on about one element in five on this project's AMD machines), so the results are
// the reference's bit for bit (tested).
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

// Elements per task: moments, ATen's sqrt and the update run chunk by chunk inside one parallel
// region per parameter (a region per pass cost more in OpenMP hand-offs than the passes), the
// chunk's v still in cache for the sqrt and the update.
constexpr int64_t kChunk = 1 << 14;

// out[0, n) = ATen's sqrt of in[0, n): MKL's elementwise kernel, as the reference's whole-tensor
// sqrt computes each element (inside a parallel region ATen runs it on the calling thread).
void aten_sqrt(const float* in, float* out, int64_t n) {
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32);
  torch::Tensor dst = torch::from_blob(out, {n}, f32);
  at::sqrt_out(dst, torch::from_blob(const_cast<float*>(in), {n}, f32));
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

void step_dense(float* p, const float* g, float* m, float* v, int64_t n, const AdamWScalars& s) {
  at::parallel_for(0, n, kChunk, [&](int64_t begin, int64_t end) {
    std::vector<float> sqrt_v(static_cast<size_t>(std::min(kChunk, end - begin)));
    for (int64_t c = begin; c < end; c += kChunk) {
      const int64_t count = std::min(end, c + kChunk) - c;
      moments_range(g + c, m + c, v + c, 0, count, s);
      aten_sqrt(v + c, sqrt_v.data(), count);
      params_range(p + c, m + c, sqrt_v.data(), 0, count, s);
    }
  });
}

// A row-sparse gradient (an embedding's, sparse COO over dim 0): rows with an entry step with it,
// the others with a zero gradient, so m, v and the weights decay exactly as under the dense zeros
// the reference steps with. What is saved is the dense gradient's zero fill, norm and read, and
// the square roots of the rows of v that are all zero (rows no batch has touched yet): MKL's sqrt,
// ATen's on this project's AMD machines, runs zeros through a slow special-case path (64 ms for
// MiniLM's 11.7M zero word-embedding entries, 6.7% of a training epoch), so only the other rows,
// packed, go through it, and sqrt(0) = 0 is taken as it is.
void step_sparse_rows(float* p, float* m, float* v, int64_t rows, const torch::Tensor& grad,
                      const AdamWScalars& s) {
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
  const int64_t rows_per_chunk = std::max<int64_t>(1, kChunk / std::max<int64_t>(cols, 1));
  at::parallel_for(0, rows, rows_per_chunk, [&](int64_t begin, int64_t end) {
    std::vector<float> packed;  // the chunk's non-zero rows of v, then their square roots
    std::vector<int64_t> packed_at(static_cast<size_t>(rows_per_chunk));
    for (int64_t r0 = begin; r0 < end; r0 += rows_per_chunk) {
      const int64_t r1 = std::min(end, r0 + rows_per_chunk);
      packed.clear();
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t entry = slot[static_cast<size_t>(r)];
        moments_range(entry >= 0 ? vals + entry * cols : zeros.data(), m + r * cols, v + r * cols,
                      0, cols, s);
        const bool nonzero = any_nonzero(v + r * cols, cols);
        packed_at[static_cast<size_t>(r - r0)] = nonzero ? static_cast<int64_t>(packed.size()) : -1;
        if (nonzero) packed.insert(packed.end(), v + r * cols, v + (r + 1) * cols);
      }
      if (!packed.empty())
        aten_sqrt(packed.data(), packed.data(), static_cast<int64_t>(packed.size()));
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t offset = packed_at[static_cast<size_t>(r - r0)];
        params_range(p + r * cols, m + r * cols,
                     offset >= 0 ? packed.data() + offset : zeros.data(), 0, cols, s);
      }
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
  if (grad.is_sparse())
    step_sparse_rows(pp, mp, vp, param.size(0), grad, scalars);
  else
    step_dense(pp, grad.data_ptr<float>(), mp, vp, param.numel(), scalars);
  // Written through raw pointers: move the version counters as in-place ops do, so what caches on
  // them (the packed weights of linear_cpu, autograd's saved-tensor checks) sees the change.
  for (const torch::Tensor* t : {&param, &exp_avg, &exp_avg_sq})
    t->unsafeGetTensorImpl()->bump_version();
}

}  // namespace finsent::ops::cpu
