// Token packing's dispatch points and generic forms.
#include "finsent/ops/token_packing.hpp"

#include "cpu/token_packing_cpu.hpp"
#include "dispatch.hpp"
#include "generic.hpp"

namespace finsent::ops {
namespace {

// A gather is an exact copy: any layout (the kernel makes its input contiguous), and no autocast
// dependence.
bool use_cpu_kernel(const torch::Tensor& t) {
  return detail::cpu_kernel_applies({t}, {.contiguous = false, .outside_autocast = false});
}

}  // namespace

torch::Tensor generic::pack_tokens(const torch::Tensor& grid, const torch::Tensor& index) {
  return grid.index_select(0, index);
}

torch::Tensor generic::unpack_tokens(const torch::Tensor& tokens, const torch::Tensor& index,
                                     int64_t rows) {
  return torch::zeros({rows, tokens.size(-1)}, tokens.options()).index_copy(0, index, tokens);
}

torch::Tensor pack_tokens(const torch::Tensor& grid, const torch::Tensor& index,
                          const torch::Tensor& grid_rows) {
  if (use_cpu_kernel(grid)) return cpu::gather_rows(grid, index, grid_rows);
  return generic::pack_tokens(grid, index);
}

torch::Tensor unpack_tokens(const torch::Tensor& tokens, const torch::Tensor& index,
                            const torch::Tensor& grid_rows) {
  if (use_cpu_kernel(tokens)) return cpu::gather_rows(tokens, grid_rows, index);
  return generic::unpack_tokens(tokens, index, grid_rows.numel());
}

}  // namespace finsent::ops
