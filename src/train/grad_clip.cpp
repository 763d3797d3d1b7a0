// Norm of norms, then one clamped scale factor for every gradient.
#include "finsent/train/grad_clip.hpp"

#include <cmath>

namespace finsent::train {

double clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> norms;
  for (const auto& p : params)
    if (p.grad().defined()) norms.push_back(p.grad().norm(2));
  if (norms.empty()) return 0.0;
  const auto total_t = torch::stack(norms).norm(2);
  const double total = total_t.item<double>();
  if (!std::isfinite(total)) return total;
  // Same float32 arithmetic as the reference: coefficient computed as a tensor, clamped at 1.
  const auto coef = torch::clamp_max(max_norm / (total_t + 1e-6), 1.0);
  for (const auto& p : params)
    if (p.grad().defined()) p.grad().mul_(coef);
  return total;
}

}  // namespace finsent::train
