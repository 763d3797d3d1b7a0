// ops::dropout: inverted dropout whose masks are drawn in parallel and never stored.
//
// LibTorch 1.13 draws CPU dropout masks one element at a time from its Mersenne Twister while the
// other threads wait: in MiniLM fine-tuning at 2 threads, dropout took 17% of the epoch (49.8 s
// with it, 41.3 s without; 42.6 s with this one). The CPU kernel (src/ops/cpu/dropout_cpu.cpp)
// keeps or drops each element by a hash of (seed, element index), so the threads fill disjoint
// ranges independently, in SIMD lanes, and the backward pass recomputes the mask from the seed
// instead of keeping a mask tensor alive between the passes. The seed is one draw from LibTorch's
// default CPU generator, so runs stay reproducible under torch::manual_seed and resume with the
// generator state a checkpoint saves.
//
// Dispatch (src/ops/dropout.cpp): float, double and bfloat16 CPU tensors of any layout run the
// hashed kernel (the mask follows the row-major order of x's shape); anything else is
// torch::dropout.
#pragma once

#include <torch/torch.h>

namespace finsent::ops {

// In training with p > 0: x with each element zeroed with probability p and the others scaled by
// 1 / (1 - p), differentiable (the gradient goes through the same mask). Otherwise x itself.
// Throws c10::Error for p >= 1.
torch::Tensor dropout(const torch::Tensor& x, double p, bool training);

// What module(x) computes (its p, active while the module is in training mode), through the
// dispatch above.
torch::Tensor dropout(const torch::nn::Dropout& module, const torch::Tensor& x);

}  // namespace finsent::ops
