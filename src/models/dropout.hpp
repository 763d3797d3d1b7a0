// Dropout whose masks are drawn in parallel and never stored.
//
// LibTorch 1.13 draws CPU dropout masks one element at a time from its Mersenne Twister while the
// other threads wait: in MiniLM fine-tuning at 2 threads, dropout took 17% of the epoch (49.8 s
// with it, 41.3 s without; 42.6 s with this one). Here each element's keep/drop is a hash of
// (seed, element index), so the threads fill disjoint ranges independently, in SIMD lanes, and the
// backward pass recomputes the mask from the seed instead of keeping a mask tensor alive between
// the passes. The seed is one draw from LibTorch's default CPU generator, so runs stay
// reproducible under torch::manual_seed and resume with the generator state a checkpoint saves.
#pragma once

#include <torch/torch.h>

namespace finsent::models::detail {

// In training with p > 0: x with each element zeroed with probability p and the others scaled by
// 1 / (1 - p), differentiable (the gradient goes through the same mask). Otherwise x itself.
// Floating-point CPU tensors (float, double, bfloat16); p in [0, 1).
torch::Tensor dropout(const torch::Tensor& x, double p, bool training);

// What module(x) computes (its p, active while the module is in training mode), with the masks
// above.
torch::Tensor dropout(const torch::nn::Dropout& module, const torch::Tensor& x);

// One seed for a mask, drawn from LibTorch's default CPU generator.
uint64_t next_dropout_seed();

// The mask hash itself, for tests: whether element `index` is kept under `seed` and drop
// probability p.
bool dropout_keeps(uint64_t seed, int64_t index, double p);

}  // namespace finsent::models::detail
