// The ops' CUDA branches: LibTorch's fused device kernels, picked by each op's dispatch point
// (src/ops/<op>.cpp) for CUDA tensors. They compile on every machine (no CUDA headers: the kernels
// are reached through the dispatcher) and run where libtorch_cuda.so is loaded.
#pragma once

#include <torch/torch.h>

#include "finsent/ops/adamw.hpp"

namespace finsent::ops::cuda {

// torch.nn.functional.scaled_dot_product_attention over [b, heads, s, head_dim] views of q, k, v
// ([b, s, hidden] each) with the additive bias ([b * heads, 1 or s, s]) as its mask, in q's dtype:
// LibTorch picks its fused kernel (memory-efficient or cuDNN attention) for the device.
// Returns [b, s, hidden].
torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training);

// torch.optim.AdamW(fused=True)'s kernel (at::_fused_adamw_) on one dense parameter: the update of
// ops::adamw_step in one launch. The step count and the clipping coefficient stay on the device
// side of the call (no host synchronization).
void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper);

}  // namespace finsent::ops::cuda
