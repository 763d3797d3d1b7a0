// How a batch's tokens reach the encoder blocks: the attention bias of its padding, and whether the
// blocks run on the padded grid or on the real tokens only.
//
// Dynamic padding pads each batch to its longest sentence; on the PhraseBank, batches of 16 random
// sentences carry about as many padding positions as tokens. Every block except attention treats
// positions independently, so in training the blocks take the real tokens packed as
// [tokens, hidden] and skip the padding's GEMMs, LayerNorms and activations. Attention alone runs
// on the [batch, seq] grid, with the padding masked out as before. The real tokens' results are
// the padded computation's, up to float rounding.
#pragma once

#include <torch/torch.h>

namespace finsent::models {

class TokenLayout {
 public:
  // attention_mask [b, s] (1 = token, 0 = padding). With `pack` and some padding present, hidden
  // states travel packed; otherwise pack() and unpack() return their argument. Every buffer
  // (bias, token index, grid rows) lives on attention_mask's device.
  TokenLayout(const torch::Tensor& attention_mask, int64_t heads, torch::ScalarType dtype,
              bool pack);

  // The additive bias [b * heads, 1, s]: 0 for tokens, the dtype's lowest value for padding.
  const torch::Tensor& attention_bias() const { return bias_; }
  bool packed() const { return index_.defined(); }

  // grid [b, s, hidden] -> [tokens, hidden], the real tokens in row-major (sentence, position)
  // order. Differentiable.
  torch::Tensor pack(const torch::Tensor& grid) const;
  // tokens [tokens, hidden] -> [b, s, hidden], zeros at padding. Differentiable.
  torch::Tensor unpack(const torch::Tensor& tokens) const;

 private:
  torch::Tensor bias_;
  torch::Tensor index_;      // positions of the real tokens in the flattened [b * s] grid
  torch::Tensor grid_rows_;  // [b * s]: each grid position's token row, -1 for padding
  int64_t batch_ = 0, seq_ = 0;
};

}  // namespace finsent::models
