// ops: the feed-forward activations BERT-family configs name (Transformers' ACT2FN entries).
//
// Dispatch (src/ops/activation.cpp): every input runs LibTorch's gelu / relu; there is no fused
// CPU kernel yet. A GELU fused into the preceding GEMM's epilogue would be picked here.
#pragma once

#include <string>

#include <torch/torch.h>

namespace finsent::ops {

// Transformers' "gelu" (exact, erf: GELUActivation), "gelu_new" (tanh approximation:
// NewGELUActivation), "relu".
enum class Activation { Gelu, GeluNew, Relu };

// The activation hidden_act / activation names: "gelu_new" and "relu" by name, "gelu" otherwise
// (the config is validated before).
Activation activation_from_name(const std::string& name);

// act(x), elementwise: same shape and dtype as x; differentiable.
torch::Tensor activate(const torch::Tensor& x, Activation act);

}  // namespace finsent::ops
