// ops::layer_norm's dispatch point: the generic form only, until a fused kernel exists.
#include "finsent/ops/layer_norm.hpp"

#include "generic.hpp"

namespace finsent::ops {

torch::Tensor generic::layer_norm(const torch::nn::LayerNorm& module, const torch::Tensor& x) {
  // What LayerNormImpl::forward computes.
  return torch::layer_norm(x, module->options.normalized_shape(), module->weight, module->bias,
                           module->options.eps());
}

torch::Tensor layer_norm(const torch::nn::LayerNorm& module, const torch::Tensor& x) {
  return generic::layer_norm(module, x);
}

}  // namespace finsent::ops
