// ops::adamw_step's dispatch point and generic form (torch.optim.AdamW's single-tensor ops).
#include "finsent/ops/adamw.hpp"

#include <cmath>

#include "cpu/adamw_cpu.hpp"
#include "cuda/cuda_kernels.hpp"
#include "dispatch.hpp"
#include "generic.hpp"

namespace finsent::ops {

void generic::adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                         torch::Tensor& exp_avg_sq, const AdamWHyper& hyper) {
  const double bias_correction1 = 1.0 - std::pow(hyper.beta1, static_cast<double>(hyper.step));
  const double bias_correction2 = 1.0 - std::pow(hyper.beta2, static_cast<double>(hyper.step));
  const double step_size = hyper.lr / bias_correction1;
  const torch::Tensor dense = grad.is_sparse() ? grad.to_dense() : grad;
  const torch::Tensor g = hyper.grad_scale == 1.0f ? dense : dense * hyper.grad_scale;
  param.mul_(1.0 - hyper.lr * hyper.weight_decay);
  exp_avg.lerp_(g, 1.0 - hyper.beta1);
  exp_avg_sq.mul_(hyper.beta2).addcmul_(g, g, 1.0 - hyper.beta2);
  const auto denom = (exp_avg_sq.sqrt() / std::sqrt(bias_correction2)).add_(hyper.eps);
  param.addcdiv_(exp_avg, denom, -step_size);
}

void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper) {
  // The update is elementwise: no autocast dependence. A sparse gradient is read row by row.
  const detail::KernelNeeds dense_state{.outside_autocast = false};
  const detail::KernelNeeds gradient{.contiguous = !grad.is_sparse(), .outside_autocast = false};
  if (param.dim() >= 1 && detail::cpu_kernel_applies({param, exp_avg, exp_avg_sq}, dense_state) &&
      detail::cpu_kernel_applies({grad}, gradient))
    return cpu::adamw_step(param, grad, exp_avg, exp_avg_sq, hyper);
  if (param.is_cuda() && !grad.is_sparse() && param.scalar_type() == torch::kFloat32)
    return cuda::adamw_step(param, grad, exp_avg, exp_avg_sq, hyper);
  generic::adamw_step(param, grad, exp_avg, exp_avg_sq, hyper);
}

}  // namespace finsent::ops
