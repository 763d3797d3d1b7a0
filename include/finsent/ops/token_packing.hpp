// ops: moving a batch's real tokens between the padded [batch * seq] grid and a packed
// [tokens] layout (models::TokenLayout's gather and scatter).
//
// Dispatch (src/ops/token_packing.cpp): fp32 CPU tensors run one parallel pass of row copies
// each way, forward and backward (src/ops/cpu/token_packing_cpu.cpp), where LibTorch's
// zeros + index_copy / index_select + index_add make two; anything else runs index_select
// (packing) and zeros + index_copy (unpacking). Both are exact copies.
#pragma once

#include <torch/torch.h>

namespace finsent::ops {

// grid [n, width] -> [index.numel(), width]: the rows `index` [tokens] int64 names, in its order.
// grid_rows [n] int64 is the inverse map (each grid row's position in the result, -1 for rows
// left out). Differentiable: the gradient of the rows left out is 0.
torch::Tensor pack_tokens(const torch::Tensor& grid, const torch::Tensor& index,
                          const torch::Tensor& grid_rows);

// tokens [index.numel(), width] -> [n, width]: row index[i] of the result is tokens[i], the other
// rows are 0 (index and grid_rows as above, n = grid_rows.numel()). Differentiable.
torch::Tensor unpack_tokens(const torch::Tensor& tokens, const torch::Tensor& index,
                            const torch::Tensor& grid_rows);

}  // namespace finsent::ops
