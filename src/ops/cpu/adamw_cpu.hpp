// ops::adamw_step's CPU kernel: AdamW as one fused pass over a parameter's elements.
#pragma once

#include <torch/torch.h>

#include "finsent/ops/adamw.hpp"

namespace finsent::ops::cpu {

// ops::adamw_step (adamw.hpp) for a contiguous fp32 CPU parameter of rank >= 1 with contiguous
// fp32 moments and a dense contiguous or row-sparse (COO over dim 0) fp32 CPU gradient, bit for bit
// torch.optim.AdamW's single-tensor ops. Moves the version counters of param, exp_avg and
// exp_avg_sq. Throws c10::Error for a sparse gradient over more than dim 0.
void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper);

}  // namespace finsent::ops::cpu
