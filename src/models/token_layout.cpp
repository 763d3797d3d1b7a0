#include "finsent/models/token_layout.hpp"

#include <ATen/Parallel.h>

#include <cstring>

#include "attention.hpp"

namespace finsent::models {
namespace {

// out[i] = rows[i] >= 0 ? in[rows[i]] : 0 for rows of `width` floats: packing gathers the real
// tokens' rows, unpacking gathers them back onto the grid with zeros for padding. One parallel
// pass of row copies, where LibTorch's zeros + index_copy_ / index_select + index_add_ made two.
torch::Tensor gather_rows(const torch::Tensor& in, const torch::Tensor& rows) {
  const torch::Tensor src = in.contiguous();
  const int64_t width = src.size(-1), count = rows.numel();
  torch::Tensor out = torch::empty({count, width}, src.options());
  const int64_t* r = rows.data_ptr<int64_t>();
  const float* s = src.data_ptr<float>();
  float* o = out.data_ptr<float>();
  const auto bytes = static_cast<size_t>(width) * sizeof(float);
  at::parallel_for(0, count, std::max<int64_t>(1, 16384 / std::max<int64_t>(width, 1)),
                   [&](int64_t begin, int64_t end) {
                     for (int64_t i = begin; i < end; ++i) {
                       if (r[i] >= 0)
                         std::memcpy(o + i * width, s + r[i] * width, bytes);
                       else
                         std::memset(o + i * width, 0, bytes);
                     }
                   });
  return out;
}

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// in [n, width] -> [m, width] by `rows` [m]; the gradient flows back by `back_rows` [n], the
// inverse map (each input row is read at most once, so the backward pass is a gather too).
struct GatherRows : public torch::autograd::Function<GatherRows> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& in,
                               const torch::Tensor& rows, const torch::Tensor& back_rows) {
    ctx->saved_data["back_rows"] = back_rows;
    return gather_rows(in, rows);
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    return {gather_rows(grads[0], ctx->saved_data["back_rows"].toTensor()), torch::Tensor(),
            torch::Tensor()};
  }
};

}  // namespace

TokenLayout::TokenLayout(const torch::Tensor& attention_mask, int64_t heads,
                         torch::ScalarType dtype, bool pack)
    : bias_(detail::attention_bias(attention_mask, heads, dtype)),
      batch_(attention_mask.size(0)),
      seq_(attention_mask.size(1)) {
  if (!pack) return;
  torch::Tensor index = attention_mask.reshape({-1}).nonzero().view({-1});
  if (index.numel() == attention_mask.numel()) return;
  index_ = index.contiguous();
  // Grid position -> token row, -1 for padding.
  grid_rows_ = torch::full({batch_ * seq_}, -1, torch::kLong);
  grid_rows_.index_put_({index_}, torch::arange(index_.numel(), torch::kLong));
}

torch::Tensor TokenLayout::pack(const torch::Tensor& grid) const {
  if (!packed()) return grid;
  const torch::Tensor rows = grid.reshape({batch_ * seq_, grid.size(-1)});
  if (rows.scalar_type() != torch::kFloat32) return rows.index_select(0, index_);
  return GatherRows::apply(rows, index_, grid_rows_);
}

torch::Tensor TokenLayout::unpack(const torch::Tensor& tokens) const {
  if (!packed()) return tokens;
  const int64_t hidden = tokens.size(-1);
  if (tokens.scalar_type() != torch::kFloat32)
    return torch::zeros({batch_ * seq_, hidden}, tokens.options())
        .index_copy(0, index_, tokens)
        .view({batch_, seq_, hidden});
  return GatherRows::apply(tokens, grid_rows_, index_).view({batch_, seq_, hidden});
}

}  // namespace finsent::models
