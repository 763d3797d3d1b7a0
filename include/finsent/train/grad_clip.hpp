// Gradient clipping by global L2 norm, as torch.nn.utils.clip_grad_norm_.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace finsent::train {

// total = || [||g_1||, ..., ||g_n||] ||_2 over defined gradients; each gradient is multiplied by
// min(1, max_norm / (total + 1e-6)). Returns total (before clipping; may be inf/nan, in which
// case nothing is scaled so the caller can stop the run with the gradients intact).
double clip_grad_norm(const std::vector<torch::Tensor>& params, double max_norm);

}  // namespace finsent::train
