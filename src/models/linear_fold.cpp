// Bounds and scales that let a family store the linear head as its Transformers head.
#include "finsent/models/linear_fold.hpp"

#include <cmath>

namespace finsent::models {

torch::Tensor layer_norm_output_bound(const torch::Tensor& gamma, const torch::Tensor& beta,
                                      int64_t dim) {
  return gamma.to(torch::kDouble).abs() * std::sqrt(static_cast<double>(dim)) +
         beta.to(torch::kDouble).abs() + 1.0;
}

double tanh_identity_scale(double bound) {
  return std::ldexp(1.0, static_cast<int>(std::floor(std::log2(std::ldexp(1.0, -12) / bound))));
}

}  // namespace finsent::models
