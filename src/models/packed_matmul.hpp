// Inference-time linear layers through oneDNN matmul primitives with pre-packed weights.
//
// dnnl_sgemm repacks the weight matrix on every call, which dominates when a batch has few rows:
// for 32 x 384 x 384 it ran 231 GFLOP/s where a matmul primitive over weights packed once ran 427
// (AVX-512 brgemm kernels, 2 threads). Weights are packed on first use and repacked when the
// tensor changes (its version counter moves: an optimizer step, a load); primitives are cached per
// (rows, in, out), which oneDNN creates in well under a millisecond (at most 1024 kept: each holds
// its own JIT kernels, about 0.5 MiB on distilbert-base).
#pragma once

#include <torch/torch.h>

namespace finsent::models::detail {

// x2 [rows, in] @ weight[out, in]^T + bias[out] -> a new [rows, out] tensor, all contiguous fp32
// CPU tensors, no autograd. Safe to call from several threads at once.
torch::Tensor packed_linear(const torch::Tensor& x2, const torch::Tensor& weight,
                            const torch::Tensor& bias);

}  // namespace finsent::models::detail
