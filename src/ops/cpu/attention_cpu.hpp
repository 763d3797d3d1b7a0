// ops::scaled_dot_product_attention's CPU kernel: the heads read and the context written in place.
//
// LibTorch's bmm needs [b * heads, s, head_dim] copies of q, k and v and of the context, and runs
// on the system BLAS (AVX2 kernels on the reference VM, see linear_cpu.hpp). Here two oneDNN
// matmuls (strided_matmul.hpp) read the heads straight out of the [b, s, hidden] projections and
// write the context in [b, s, hidden] order, and two autograd functions do the same for the four
// backward matmuls; softmax, key mask and dropout run fused in between (softmax_dropout_cpu.hpp).
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// softmax(q k^T / sqrt(head_dim) + bias) v per head, dropout p on the weights in training: q, k,
// v [b, s, hidden] contiguous fp32 CPU, bias fp32 [b * heads, 1, s] (key mask) or
// [b * heads, s, s] (per query: MPNet's relative positions plus the key mask). Returns
// [b, s, hidden], contiguous; differentiable in q, k, v and the bias.
torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training);

}  // namespace finsent::ops::cpu
