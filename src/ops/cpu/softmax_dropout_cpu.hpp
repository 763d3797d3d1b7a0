// Attention's softmax, key mask and dropout as one pass per row, forward and backward.
//
// LibTorch runs them as three whole-tensor ops each way (bias add, softmax, dropout; then dropout,
// softmax backward), each a pass over [b, heads, s, s] with OpenMP hand-offs between them; in
// MiniLM fine-tuning they were ~4% of the epoch. Here each row is read once and written once per
// pass. The dropout mask is ops::dropout's hash of (seed, element index), so the weights equal
// ops::dropout(softmax(scores + bias)) up to the rounding of exp.
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// dropout(softmax(scores + bias, -1)) for scores [b, heads, q, k] contiguous fp32 CPU and an fp32
// additive bias broadcastable to [b, heads, q, k] (any strides): a key mask [.., 1, k] or a bias
// per query and key (MPNet's relative positions); dropout with probability p only in training,
// p in [0, 1). Differentiable with respect to scores and bias (the bias's gradient is the
// scores' summed over the dimensions it broadcast over).
torch::Tensor softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias, double p,
                              bool training);

}  // namespace finsent::ops::cpu
