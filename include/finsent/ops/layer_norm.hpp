// ops::layer_norm: LayerNorm over the last dimensions, as torch::nn::LayerNorm computes it.
//
// Dispatch (src/ops/layer_norm.cpp): every input runs LibTorch's layer_norm; there is no fused
// CPU kernel yet (LibTorch's is one pass per row already). A LayerNorm fused into the preceding
// GEMM's epilogue would be picked here.
#pragma once

#include <torch/torch.h>

namespace finsent::ops {

// module(x): normalized over module's normalized_shape (the last dimensions of x) with its eps,
// weight and bias. Same shape as x, and its dtype, except that x of another dtype than the weight
// (bf16 activations under autocast) is normalized in the weight's dtype and returned in it, as
// autocast's fp32 policy for layer_norm does. Differentiable.
torch::Tensor layer_norm(const torch::nn::LayerNorm& module, const torch::Tensor& x);

}  // namespace finsent::ops
