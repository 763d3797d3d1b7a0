// ops::pack_tokens / unpack_tokens' CPU kernel: one parallel pass of row copies each way.
#pragma once

#include <torch/torch.h>

namespace finsent::ops::cpu {

// in [n, width] fp32 CPU -> [rows.numel(), width]: out[i] = rows[i] >= 0 ? in[rows[i]] : 0.
// Differentiable: the gradient flows back by `back_rows` [n], the inverse map (each input row is
// read at most once, so the backward pass is the same gather). rows, back_rows: int64.
torch::Tensor gather_rows(const torch::Tensor& in, const torch::Tensor& rows,
                          const torch::Tensor& back_rows);

}  // namespace finsent::ops::cpu
