// Batched matmuls over strided views through oneDNN, for attention at inference time.
//
// Attention's q k^T and weights v read the heads straight out of the [b, s, hidden] projections
// when the operands are described by their strides: LibTorch's bmm needs [b * heads, s, head_dim]
// copies of q, k and v and of the context, and runs on the system BLAS (AVX2 kernels on the
// reference VM, see linear_cpu.hpp). oneDNN reads the views in place with AVX-512 kernels and
// writes the context directly in [b, s, hidden] order.
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// out = scale * a @ b for fp32 CPU tensors of the same rank (3 or 4): a [..., m, k], b [..., k, n],
// out [..., m, n] with the same batch sizes. Any strides (views of transposes and permutes
// included) as long as one of the two innermost dimensions of each has unit stride; out must not
// overlap a or b. No autograd. Safe to call from several threads at once.
void strided_matmul(const torch::Tensor& a, const torch::Tensor& b, torch::Tensor& out,
                    float scale = 1.0f);

}  // namespace finsent::ops::cpu
