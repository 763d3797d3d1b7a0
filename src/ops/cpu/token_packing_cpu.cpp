// Packing and unpacking a batch's tokens as parallel row gathers, forward and backward.
#include "token_packing_cpu.hpp"

#include <cstring>

#include "parallel.hpp"

namespace finsent::ops::cpu {
namespace {

// out[i] = rows[i] >= 0 ? in[rows[i]] : 0 for rows of `width` floats: packing gathers the real
// tokens' rows, unpacking gathers them back onto the grid with zeros for padding. One parallel
// pass of row copies, where LibTorch's zeros + index_copy_ / index_select + index_add_ made two.
torch::Tensor gather(const torch::Tensor& in, const torch::Tensor& rows) {
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

struct GatherRows : public torch::autograd::Function<GatherRows> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& in,
                               const torch::Tensor& rows, const torch::Tensor& back_rows) {
    ctx->saved_data["back_rows"] = back_rows;
    return gather(in, rows);
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    return {gather(grads[0], ctx->saved_data["back_rows"].toTensor()), torch::Tensor(),
            torch::Tensor()};
  }
};

}  // namespace

torch::Tensor gather_rows(const torch::Tensor& in, const torch::Tensor& rows,
                          const torch::Tensor& back_rows) {
  return GatherRows::apply(in, rows, back_rows);
}

}  // namespace finsent::ops::cpu
