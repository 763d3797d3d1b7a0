// The generic form of every op: LibTorch's own ops, for any dtype, device and autocast state.
//
// Each op's entry (src/ops/<op>.cpp, declared in include/finsent/ops/<op>.hpp) runs its CPU kernel
// (src/ops/cpu/<op>_cpu.hpp) when detail::cpu_kernel_applies says so and the form below
// otherwise, as CTranslate2 splits an op into X.cc and X_cpu.cc and candle's CustomOp has one
// method per backend. Tests call both to compare them.
#pragma once

#include <torch/torch.h>

#include "finsent/ops/activation.hpp"
#include "finsent/ops/adamw.hpp"

namespace finsent::ops::generic {

// torch::linear(x, weight, bias).
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias);

// torch::dropout(x, p, /*train=*/true): LibTorch's Bernoulli masks.
torch::Tensor dropout(const torch::Tensor& x, double p);

// ops::dropout(softmax(scores + bias, -1), p, training).
torch::Tensor softmax_dropout(const torch::Tensor& scores, const torch::Tensor& bias, double p,
                              bool training);

// baddbmm(bias, q, k^T) / softmax / ops::dropout / bmm over [b * heads, s, head_dim] copies.
torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training);

// grid.index_select(0, index).
torch::Tensor pack_tokens(const torch::Tensor& grid, const torch::Tensor& index);

// zeros([rows, width]).index_copy(0, index, tokens).
torch::Tensor unpack_tokens(const torch::Tensor& tokens, const torch::Tensor& index, int64_t rows);

// torch::layer_norm with the module's shape, eps, weight and bias (its forward).
torch::Tensor layer_norm(const torch::nn::LayerNorm& module, const torch::Tensor& x);

// torch::gelu(x), torch::gelu(x, "tanh"), torch::relu(x).
torch::Tensor activate(const torch::Tensor& x, Activation act);

// torch.optim.AdamW's single-tensor step as whole-tensor ops (mul_, lerp_, mul_ + addcmul_,
// sqrt, addcdiv_); a sparse gradient is made dense first.
void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper);

}  // namespace finsent::ops::generic
