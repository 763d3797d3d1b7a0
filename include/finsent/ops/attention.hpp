// ops: the attention core of BERT-family self-attention: key mask, scaled scores, softmax,
// dropout on the weights, and the context.
#pragma once

#include <torch/torch.h>

namespace finsent::ops {

// attention_mask [b, s] (1 = token, 0 = padding) -> additive bias [b * heads, 1, s] in `dtype`
// (a floating type: float, double, half, bfloat16): 0 for tokens, the dtype's lowest value for
// padding (Transformers adds finfo(dtype).min, so the
// softmax gives padding exactly 0).
torch::Tensor attention_bias(const torch::Tensor& attention_mask, int64_t heads,
                             torch::ScalarType dtype);

// dropout(softmax(scores + bias, -1)) for scores [b, heads, q, k] and an additive bias
// broadcastable to [b, heads, q, k]; dropout (ops::dropout's hashed masks on CPU) with
// probability p only in training. Differentiable with respect to scores and bias. Throws
// c10::Error for p outside [0, 1).
// Dispatch (src/ops/attention.cpp): contiguous fp32 CPU scores outside autocast with an fp32
// bias (a key mask [.., 1, k] or a bias per query, any strides) run one fused pass per row,
// forward and backward (src/ops/cpu/softmax_dropout_cpu.cpp; equal to the generic ops up to the
// rounding of exp, with the same dropout mask); otherwise the generic ops above.
torch::Tensor softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias, double p,
                              bool training);

// Scaled dot-product attention over projected q, k, v [b, s, hidden] split into `heads` heads:
// softmax(q k^T / sqrt(head_dim) + bias) v with bias [b * heads, 1, s] (attention_bias) or
// [b * heads, s, s] (the key mask plus a position bias, as MPNet adds), and dropout with
// probability p on the weights in training. Returns the context [b, s, hidden],
// contiguous; differentiable in q, k, v and the bias.
// Dispatch (src/ops/attention.cpp): contiguous fp32 CPU q, k, v outside autocast with an fp32
// bias of either shape run the CPU kernel (src/ops/cpu/attention_cpu.cpp): oneDNN matmuls that
// read the heads in place from [b, s, hidden] and write the context in place, forward and backward,
// around softmax_dropout. CUDA tensors run LibTorch's fused scaled_dot_product_attention with the
// bias as its mask (src/ops/cuda/cuda_kernels.cpp; its own dropout). Otherwise baddbmm + softmax +
// ops::dropout + bmm over [b * heads, s, head_dim] copies, which draws the CPU kernel's dropout
// mask.
torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training);

}  // namespace finsent::ops
