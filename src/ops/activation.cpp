// The activations' dispatch point: the generic forms only, until a fused kernel exists.
#include "finsent/ops/activation.hpp"

#include "generic.hpp"

namespace finsent::ops {

Activation activation_from_name(const std::string& name) {
  if (name == "gelu_new") return Activation::GeluNew;
  if (name == "relu") return Activation::Relu;
  return Activation::Gelu;
}

torch::Tensor generic::activate(const torch::Tensor& x, Activation act) {
  switch (act) {
    case Activation::GeluNew:
      return torch::gelu(x, "tanh");
    case Activation::Relu:
      return torch::relu(x);
    case Activation::Gelu:
      break;
  }
  return torch::gelu(x);
}

torch::Tensor activate(const torch::Tensor& x, Activation act) {
  return generic::activate(x, act);
}

}  // namespace finsent::ops
