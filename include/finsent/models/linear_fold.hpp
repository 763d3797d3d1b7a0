// Tools for a family's LinearHeadFold (family.hpp): the notebook's linear head written as the
// family's Transformers head with the same logits needs a bound on the [CLS] vector and, for heads
// that pass it through tanh, a scale small enough that tanh is the identity to float precision.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace finsent::models {

// Per-dimension c (float64 [dim]) with |x_i| < c_i for every output x of a LayerNorm over `dim`
// features with weight `gamma` and bias `beta` ([dim]): |x_i| <= |gamma_i| sqrt(dim - 1) +
// |beta_i|, so c = |gamma| sqrt(dim) + |beta| + 1.
torch::Tensor layer_norm_output_bound(const torch::Tensor& gamma, const torch::Tensor& beta,
                                      int64_t dim);

// The largest power of two eps with eps * bound <= 2^-12: then tanh(eps x) / (eps x) - 1 < 2e-8 for
// |x| <= bound, and dividing a weight by eps is exact.
double tanh_identity_scale(double bound);

}  // namespace finsent::models
