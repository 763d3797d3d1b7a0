// CUDA branches of attention and AdamW (see cuda_kernels.hpp).
#include "cuda_kernels.hpp"

#include <cmath>

namespace finsent::ops::cuda {

torch::Tensor scaled_dot_product_attention(const torch::Tensor& q, const torch::Tensor& k,
                                           const torch::Tensor& v, const torch::Tensor& bias,
                                           int64_t heads, double p, bool training) {
  const int64_t b = q.size(0), s = q.size(1), hidden = q.size(2), head_dim = hidden / heads;
  auto split = [&](const torch::Tensor& t) {  // [b, s, hidden] -> [b, heads, s, head_dim]
    return t.view({b, s, heads, head_dim}).transpose(1, 2);
  };
  const torch::Tensor mask = bias.view({b, heads, bias.size(1), s}).to(q.scalar_type());
  const double scale = 1.0 / std::sqrt(static_cast<double>(head_dim));
  const torch::Tensor context = at::scaled_dot_product_attention(
      split(q), split(k), split(v), mask, training ? p : 0.0, /*is_causal=*/false, scale);
  return context.transpose(1, 2).reshape({b, s, hidden});
}

void adamw_step(torch::Tensor& param, const torch::Tensor& grad, torch::Tensor& exp_avg,
                torch::Tensor& exp_avg_sq, const AdamWHyper& hyper) {
  const auto on_device = torch::TensorOptions().dtype(torch::kFloat32).device(param.device());
  // The kernel divides the gradient by grad_scale (AMP's unscaling); clipping multiplies.
  const std::optional<torch::Tensor> grad_scale =
      hyper.grad_scale == 1.0f
          ? std::nullopt
          : std::optional<torch::Tensor>(torch::full({}, 1.0 / hyper.grad_scale, on_device));
  at::_fused_adamw_({param}, {grad}, {exp_avg}, {exp_avg_sq}, {},
                    {torch::full({}, static_cast<double>(hyper.step), on_device)}, hyper.lr,
                    hyper.beta1, hyper.beta2, hyper.weight_decay, hyper.eps, /*amsgrad=*/false,
                    /*maximize=*/false, grad_scale, /*found_inf=*/std::nullopt);
}

}  // namespace finsent::ops::cuda
