// ops::linear's dispatch point and generic form.
#include "finsent/ops/linear.hpp"

#include "cpu/linear_cpu.hpp"
#include "dispatch.hpp"
#include "generic.hpp"

namespace finsent::ops {

torch::Tensor generic::linear(const torch::Tensor& x, const torch::Tensor& weight,
                              const torch::Tensor& bias) {
  return torch::linear(x, weight, bias);
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight,
                     const torch::Tensor& bias) {
  if (x.dim() >= 1 && detail::cpu_kernel_applies({x, weight}, {.contiguous = false}))
    return cpu::linear(x, weight, bias);
  return generic::linear(x, weight, bias);
}

torch::Tensor linear(const torch::nn::Linear& layer, const torch::Tensor& x) {
  return ops::linear(x, layer->weight, layer->bias);
}

}  // namespace finsent::ops
