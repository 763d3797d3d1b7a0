// The one test every op's dispatch point asks: may these tensors run the op's fused CPU kernel?
//
// Each op (ops::linear, ops::dropout, ...) has exactly one dispatch point, in its entry file
// src/ops/<op>.cpp, which picks the CPU kernel (src/ops/cpu/) when this test passes and the
// generic LibTorch form otherwise; CUDA kernels (src/ops/cuda/) are a third branch there.
#pragma once

#include <functional>
#include <initializer_list>

#include <torch/torch.h>

namespace finsent::ops::detail {

// What a CPU kernel accepts.
struct KernelNeeds {
  // Float32 only, or any of float, double and bfloat16.
  enum class Dtypes { Float32, Floating } dtypes = Dtypes::Float32;
  bool contiguous = true;  // dense (strided layout) and contiguous
  // The kernel computes in the tensors' own dtype, so it must not run where LibTorch's CPU
  // autocast would have cast the op's inputs (bf16 autocast: linear, matmul, ...).
  bool outside_autocast = true;
};

using TensorRefs = std::initializer_list<std::reference_wrapper<const torch::Tensor>>;

// True when every tensor is defined, on the CPU, of a dtype `needs` allows, laid out as it
// requires, and (if required) CPU autocast is off.
bool cpu_kernel_applies(TensorRefs tensors, KernelNeeds needs = {});

}  // namespace finsent::ops::detail
