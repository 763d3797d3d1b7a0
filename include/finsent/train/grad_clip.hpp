// Gradient clipping by global L2 norm, as torch.nn.utils.clip_grad_norm_.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace finsent::train {

struct GradNorm {
  // || [||g_1||, ..., ||g_n||] ||_2 over defined gradients (may be inf or nan).
  double total = 0.0;
  // min(1, max_norm / (total + 1e-6)) in float32; 1 when total is not finite.
  float clip_coef = 1.0f;
};

// The global norm and the clipping coefficient, gradient values untouched: AdamW::step applies
// the coefficient in its own pass instead of another sweep over every gradient. Sparse gradients
// (embeddings') are replaced by their coalesced form.
GradNorm grad_norm(const std::vector<torch::Tensor>& params, double max_norm);

// grad_norm, then each gradient multiplied by the coefficient in place. Returns total (before
// clipping; when not finite nothing is scaled, so the caller can stop with the gradients intact).
double clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm);

}  // namespace finsent::train
