// The packed-weight cache: linear layers through oneDNN matmul primitives with pre-packed weights
// (inference, and the training forward).
//
// dnnl_sgemm repacks the weight matrix on every call, which dominates when a batch has few rows:
// for 32 x 384 x 384 it ran 231 GFLOP/s where a matmul primitive over weights packed once ran 427
// (AVX-512 brgemm kernels, 2 threads). Weights are packed on first use and repacked when the
// tensor changes (its version counter moves: a load, an in-place op, ops::adamw_step, which bumps
// it after writing through raw pointers; see include/finsent/ops/linear.hpp for the contract).
// Entries of freed weight tensors are dropped when the next weight is packed. Primitives are
// cached per (rows, in, out), which oneDNN creates in well under a millisecond (at most 1024 kept:
// each holds its own JIT kernels, about 0.5 MiB on distilbert-base).
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// x2 [rows, in] @ weight[out, in]^T + bias[out] -> a new [rows, out] tensor, all contiguous fp32
// CPU tensors, no autograd. Safe to call from several threads at once.
torch::Tensor packed_linear(const torch::Tensor& x2, const torch::Tensor& weight,
                            const torch::Tensor& bias);

}  // namespace finsent::ops::cpu
