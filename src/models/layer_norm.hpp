// The LayerNorm encoder families build: over hidden_size, eps from config.json
// (layer_norm_eps; DistilBERT's config has none and Transformers hard-codes 1e-12, ModelConfig's
// default).
#pragma once

#include <torch/torch.h>

#include "finsent/models/config.hpp"

namespace finsent::models::detail {

inline torch::nn::LayerNorm layer_norm(const ModelConfig& c) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
}

}  // namespace finsent::models::detail
