#include "finsent/models/token_layout.hpp"

#include "attention.hpp"

namespace finsent::models {

TokenLayout::TokenLayout(const torch::Tensor& attention_mask, int64_t heads,
                         torch::ScalarType dtype, bool pack)
    : bias_(detail::attention_bias(attention_mask, heads, dtype)),
      batch_(attention_mask.size(0)),
      seq_(attention_mask.size(1)) {
  if (!pack) return;
  torch::Tensor index = attention_mask.reshape({-1}).nonzero().view({-1});
  if (index.numel() < attention_mask.numel()) index_ = index;
}

torch::Tensor TokenLayout::pack(const torch::Tensor& grid) const {
  if (!packed()) return grid;
  return grid.reshape({batch_ * seq_, grid.size(-1)}).index_select(0, index_);
}

torch::Tensor TokenLayout::unpack(const torch::Tensor& tokens) const {
  if (!packed()) return tokens;
  const int64_t hidden = tokens.size(-1);
  return torch::zeros({batch_ * seq_, hidden}, tokens.options())
      .index_copy(0, index_, tokens)
      .view({batch_, seq_, hidden});
}

}  // namespace finsent::models
