// ops::dropout's dispatch point and generic form.
#include "finsent/ops/dropout.hpp"

#include "cpu/dropout_cpu.hpp"
#include "dispatch.hpp"
#include "generic.hpp"

namespace finsent::ops {

torch::Tensor generic::dropout(const torch::Tensor& x, double p) {
  return torch::dropout(x, p, /*train=*/true);
}

torch::Tensor dropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0) return x;
  TORCH_CHECK(p < 1, "dropout: p must be below 1");
  // The mask is a function of the element index alone: any layout, and no autocast dependence.
  if (detail::cpu_kernel_applies({x}, {.dtypes = detail::KernelNeeds::Dtypes::Floating,
                                       .contiguous = false,
                                       .outside_autocast = false}))
    return cpu::dropout(x, p);
  return generic::dropout(x, p);
}

torch::Tensor dropout(const torch::nn::Dropout& module, const torch::Tensor& x) {
  return ops::dropout(x, module->options.p(), module->is_training());
}

}  // namespace finsent::ops
