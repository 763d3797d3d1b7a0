// The hashed dropout kernel: masks in parallel SIMD ranges, recomputed in the backward pass.
#include "dropout_cpu.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Dispatch.h>

#include <mutex>
#include <type_traits>

#include "dropout_hash.hpp"
#include "parallel.hpp"

namespace finsent::ops::cpu {
namespace {

// out[i] = keep(i) ? in[i] * scale : 0 for i in [begin, end). float, the training dtype, gets
// AVX-512 and AVX2 clones picked at run time (the build targets baseline x86-64); other types
// scale in double.
#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target_clones("avx512f", "avx2", "default")]]
#endif
void mask_range_f32(const float* in, float* out, int64_t begin, int64_t end, uint64_t seed,
                    uint32_t threshold, float scale) {
  for (int64_t i = begin; i < end; ++i)
    out[i] = dropout_draw(seed, i) >= threshold ? in[i] * scale : 0.0f;
}

template <typename T>
void mask_range(const T* in, T* out, int64_t begin, int64_t end, uint64_t seed, uint32_t threshold,
                double scale) {
  for (int64_t i = begin; i < end; ++i)
    out[i] = dropout_draw(seed, i) >= threshold ? static_cast<T>(static_cast<double>(in[i]) * scale)
                                                : T(0);
}

// The same over contiguous buffers of n elements, in parallel.
template <typename T>
void apply_mask(const T* in, T* out, int64_t n, uint64_t seed, double p) {
  const uint32_t threshold = dropout_threshold(p);
  const double scale = 1.0 / (1.0 - p);
  at::parallel_for(0, n, 32768, [&](int64_t begin, int64_t end) {
    if constexpr (std::is_same_v<T, float>)
      mask_range_f32(in, out, begin, end, seed, threshold, static_cast<float>(scale));
    else
      mask_range(in, out, begin, end, seed, threshold, scale);
  });
}

torch::Tensor masked(const torch::Tensor& x, uint64_t seed, double p) {
  const torch::Tensor in = x.contiguous();
  torch::Tensor out = torch::empty_like(in);
  AT_DISPATCH_FLOATING_TYPES_AND(at::kBFloat16, in.scalar_type(), "finsent_dropout", [&] {
    apply_mask(in.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), in.numel(), seed, p);
  });
  return out;
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct DropoutFunction : public torch::autograd::Function<DropoutFunction> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, double p) {
    const uint64_t seed = next_dropout_seed();
    ctx->saved_data["seed"] = static_cast<int64_t>(seed);
    ctx->saved_data["p"] = p;
    return masked(x, seed, p);
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto seed = static_cast<uint64_t>(ctx->saved_data["seed"].toInt());
    return {masked(grad_outputs[0], seed, ctx->saved_data["p"].toDouble()), torch::Tensor()};
  }
};

}  // namespace

uint64_t next_dropout_seed() {
  auto* gen = at::check_generator<at::CPUGeneratorImpl>(at::detail::getDefaultCPUGenerator());
  std::lock_guard<std::mutex> lock(gen->mutex_);
  return gen->random64();
}

bool dropout_keeps(uint64_t seed, int64_t index, double p) {
  return dropout_draw(seed, index) >= dropout_threshold(p);
}

torch::Tensor dropout(const torch::Tensor& x, double p) {
  return DropoutFunction::apply(x, p);
}

}  // namespace finsent::ops::cpu
