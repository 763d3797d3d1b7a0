// ops::linear's CPU kernel: the encoders' linear layers through oneDNN, forward and backward.
//
// LibTorch 1.13 sends fp32 matmuls to the system BLAS. On the reference VM that is OpenBLAS 0.3.21,
// told to use its AVX2 kernels (OPENBLAS_CORETYPE=Haswell, set because that build misbehaves on
// the CPU otherwise): ~250 GFLOP/s on 2 threads, where oneDNN's sgemm, which picks its own
// AVX-512 code, ran the same shapes at 430-500 (bench/gemm_bench). LibTorch already links this
// oneDNN for its bf16 matmuls.
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// x [..., in] (rank >= 1) @ weight[out, in]^T + bias[out] -> [..., out] for fp32 CPU tensors:
// oneDNN matmul primitives over packed weights (packed_linear.hpp), with an autograd backward of
// dnnl_sgemm calls (input, weight and bias gradients, each only when needed) when autograd records
// and any input requires a gradient. Results equal torch::linear's up to float rounding.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias);

// C = op(A) op(B) for row-major fp32 matrices, op = transpose when the flag is set: A [m, k] (or
// [k, m] transposed), B [k, n] (or [n, k]) -> C [m, n]. With `bias` [n] defined, C starts as the
// bias broadcast over rows (GEMM beta = 1). Inputs must be contiguous 2-d fp32 CPU tensors.
// Throws finsent::Error when oneDNN reports a failure.
torch::Tensor sgemm(const torch::Tensor& a, bool trans_a, const torch::Tensor& b, bool trans_b,
                    const torch::Tensor& bias = {});

}  // namespace finsent::ops::cpu
