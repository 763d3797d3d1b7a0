// The encoders' linear layers through oneDNN's fp32 GEMM, forward and backward.
//
// LibTorch 1.13 sends fp32 matmuls to the system BLAS. On the reference VM that is OpenBLAS 0.3.21,
// told to use its AVX2 kernels (OPENBLAS_CORETYPE=Haswell, set because that build misbehaves on
// the CPU otherwise): ~250 GFLOP/s on 2 threads, where oneDNN's sgemm, which picks its own
// AVX-512 code, ran the same shapes at 430-500 (bench/gemm_bench). LibTorch already links this
// oneDNN for its bf16 matmuls.
#pragma once

#include <torch/torch.h>

namespace finsent::models::detail {

// layer(x) with layer's weight [out, in] and bias [out]: x [..., in] -> [..., out].
// fp32 CPU inputs outside bf16 autocast run through oneDNN matmul primitives over packed weights
// (packed_matmul.hpp), with an autograd backward of dnnl_sgemm calls (input, weight and bias
// gradients, each only when needed); anything else (autocast, other dtypes) is torch::linear.
// Results equal torch::linear's up to float rounding.
torch::Tensor linear(const torch::nn::Linear& layer, const torch::Tensor& x);

// C = op(A) op(B) for row-major fp32 matrices, op = transpose when the flag is set: A [m, k] (or
// [k, m] transposed), B [k, n] (or [n, k]) -> C [m, n]. With `bias` [n] defined, C starts as the
// bias broadcast over rows (GEMM beta = 1). Inputs must be contiguous 2-d fp32 CPU tensors.
torch::Tensor sgemm(const torch::Tensor& a, bool trans_a, const torch::Tensor& b, bool trans_b,
                    const torch::Tensor& bias = {});

}  // namespace finsent::models::detail
