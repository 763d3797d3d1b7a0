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
  // bf16 activations reach an fp32 LayerNorm under autocast (a residual that is itself a bf16
  // projection: ELECTRA's embeddings_project); LibTorch 1.13's CPU kernel refuses mixed dtypes,
  // and autocast's policy for layer_norm is fp32.
  const torch::Tensor& w = module->weight;
  if (w.defined() && x.scalar_type() != w.scalar_type())
    return generic::layer_norm(module, x.to(w.scalar_type()));
  return generic::layer_norm(module, x);
}

}  // namespace finsent::ops
