// ops::dropout's CPU kernel: masks hashed from (seed, element index), drawn in parallel and never
// stored (see include/finsent/ops/dropout.hpp for why).
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// x with each element zeroed with probability p and the others scaled by 1 / (1 - p),
// differentiable (the gradient goes through the same mask, recomputed from the seed). The mask of
// element i (row-major order of x's shape) is dropout_keeps(seed, i, p) for one seed drawn by
// next_dropout_seed(). Floating-point CPU tensors (float, double, bfloat16) of any layout;
// p in (0, 1).
torch::Tensor dropout(const torch::Tensor& x, double p);

// One seed for a mask, drawn from LibTorch's default CPU generator.
uint64_t next_dropout_seed();

// The mask hash itself, for tests: whether element `index` is kept under `seed` and drop
// probability p.
bool dropout_keeps(uint64_t seed, int64_t index, double p);

}  // namespace finsent::ops::cpu
