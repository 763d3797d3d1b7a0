// Norm of norms, then one clamped scale factor for every gradient.
#include "finsent/train/grad_clip.hpp"

#include <cmath>

namespace finsent::train {

GradNorm grad_norm(const std::vector<torch::Tensor>& params, double max_norm) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> norms;
  for (const auto& p : params) {
    if (!p.grad().defined()) continue;
    if (p.grad().is_sparse()) {
      // Coalesced once here (duplicate rows summed), so the optimizer step reuses it.
      p.mutable_grad() = p.grad().coalesce();
      norms.push_back(p.grad()._values().norm(2));
    } else {
      norms.push_back(p.grad().norm(2));
    }
  }
  if (norms.empty()) return {0.0, 1.0f};
  const auto total_t = torch::stack(norms).norm(2);
  const double total = total_t.item<double>();
  if (!std::isfinite(total)) return {total, 1.0f};
  // Same float32 arithmetic as the reference: coefficient computed as a tensor, clamped at 1.
  const auto coef = torch::clamp_max(max_norm / (total_t + 1e-6), 1.0);
  return {total, coef.item<float>()};
}

double clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm) {
  const GradNorm norm = grad_norm(params, max_norm);
  if (!std::isfinite(norm.total)) return norm.total;
  torch::NoGradGuard no_grad;
  for (const auto& p : params)
    if (p.grad().defined()) p.grad().mul_(norm.clip_coef);
  return norm.total;
}

}  // namespace finsent::train
