// ops::linear: y = x W^T + b, the encoders' and heads' linear layers.
//
// Dispatch (src/ops/linear.cpp): fp32 CPU inputs outside autocast run the CPU kernel, oneDNN
// matmul primitives over packed weights with an autograd backward of oneDNN sgemm calls
// (src/ops/cpu/linear_cpu.cpp); anything else (bf16 autocast, other dtypes, other devices) is
// torch::linear. The kernel's results equal torch::linear's up to float rounding.
//
// The packed-weight cache (ops-internal): the CPU kernel packs each weight tensor once into
// oneDNN's blocked layout and reuses the packed copy while the tensor's identity, data pointer and
// version counter are unchanged. Every in-place write moves the version counter: LibTorch's
// in-place ops do, and ops::adamw_step (adamw.hpp), which writes through raw pointers, moves it
// itself. Code outside ops that writes weights through raw pointers must call bump_version() too.
#pragma once

#include <torch/torch.h>

namespace finsent::ops {

// x [..., in], weight [out, in], bias [out] (or undefined) -> [..., out], differentiable in all
// three. Safe to call from several threads at once (inference).
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias);

// layer(x) with the layer's weight and bias: torch::nn::Linear's forward through the dispatch
// above.
torch::Tensor linear(const torch::nn::Linear& layer, const torch::Tensor& x);

}  // namespace finsent::ops
