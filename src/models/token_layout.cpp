// A batch's layout: its attention bias and the map between the padded grid and its real tokens.
#include "finsent/models/token_layout.hpp"

#include "finsent/ops/attention.hpp"
#include "finsent/ops/token_packing.hpp"

namespace finsent::models {

TokenLayout::TokenLayout(const torch::Tensor& attention_mask, int64_t heads,
                         torch::ScalarType dtype, bool pack)
    : bias_(ops::attention_bias(attention_mask, heads, dtype)),
      batch_(attention_mask.size(0)),
      seq_(attention_mask.size(1)) {
  if (!pack) return;
  torch::Tensor index = attention_mask.reshape({-1}).nonzero().view({-1});
  if (index.numel() == attention_mask.numel()) return;
  index_ = index.contiguous();
  // Grid position -> token row, -1 for padding.
  const auto on_mask = attention_mask.options().dtype(torch::kLong);
  grid_rows_ = torch::full({batch_ * seq_}, -1, on_mask);
  grid_rows_.index_put_({index_}, torch::arange(index_.numel(), on_mask));
}

torch::Tensor TokenLayout::pack(const torch::Tensor& grid) const {
  if (!packed()) return grid;
  return ops::pack_tokens(grid.reshape({batch_ * seq_, grid.size(-1)}), index_, grid_rows_);
}

torch::Tensor TokenLayout::unpack(const torch::Tensor& tokens) const {
  if (!packed()) return tokens;
  return ops::unpack_tokens(tokens, index_, grid_rows_).view({batch_, seq_, tokens.size(-1)});
}

}  // namespace finsent::models
