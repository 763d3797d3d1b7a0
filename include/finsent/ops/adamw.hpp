// ops::adamw_step: one parameter's AdamW update, step for step as torch.optim.AdamW's
// single-tensor path (torch/optim/adamw.py), for train::AdamW.
//
// Dispatch (src/ops/adamw.cpp): an fp32 CPU parameter of rank >= 1 whose gradient is dense and
// contiguous or sparse over rows, with contiguous fp32 moments, runs one fused pass per element
// (src/ops/cpu/adamw_cpu.cpp; two fused passes around ATen's sqrt, bit for bit the reference's ops,
// tested); a dense fp32 CUDA parameter runs torch.optim.AdamW(fused=True)'s kernel
// (src/ops/cuda/cuda_kernels.cpp); anything else runs the reference's ops one by one.
//
// The fused pass writes through raw pointers and then moves the version counters of param,
// exp_avg and exp_avg_sq, as in-place ops do: this is what tells ops::linear's packed-weight cache
// (linear.hpp) and autograd's saved-tensor checks that the tensors changed.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace finsent::ops {

struct AdamWHyper {
  double lr = 1e-3;
  double weight_decay = 0.0;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  int64_t step = 1;         // this update's step number (1 for the first), for bias correction
  float grad_scale = 1.0f;  // the gradient is taken times this first (the clipping coefficient)
};

// For parameter p with gradient g (dense, or sparse COO over dim 0: rows without an entry step
// with a zero gradient, exactly like the dense form) and moments m, v of p's shape:
//   g *= grad_scale;  p *= 1 - lr * wd;  m = lerp(m, g, 1 - b1);  v = b2 v + (1 - b2) g^2
//   p -= lr / (1 - b1^step) * m / (sqrt(v) / sqrt(1 - b2^step) + eps)
// in place on p, m and v; g is not modified. Call without autograd recording (NoGradGuard).
void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper);

}  // namespace finsent::ops
