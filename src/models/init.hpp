// Transformers' _init_weights for new modules: normal(0, initializer_range) weights, zero biases.
#pragma once

#include <torch/torch.h>

namespace finsent::models::detail {

// Linear: weight ~ N(0, std), bias 0. Embedding: weight ~ N(0, std), padding row 0.
// LayerNorm: weight 1, bias 0. Applied to `module` and all its descendants.
void init_weights(torch::nn::Module& module, double std);

}  // namespace finsent::models::detail
