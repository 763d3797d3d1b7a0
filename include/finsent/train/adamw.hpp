// AdamW with decoupled weight decay, step for step as torch.optim.AdamW (single-tensor path).
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace finsent::train {

struct AdamWOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

// Parameters sharing one weight decay value.
struct ParamGroup {
  std::vector<torch::Tensor> params;
  double weight_decay = 0.0;
};

// Trainer's grouping: trainable parameters of `module` in registration order; LayerNorm weights
// and every bias get no weight decay, all others `weight_decay`. Frozen parameters
// (requires_grad false) are left out. Group 0 decays, group 1 does not (either may be empty).
std::vector<ParamGroup> trainer_param_groups(const torch::nn::Module& module, double weight_decay);

// Per step, for each parameter p with gradient g (skipped when g is undefined), at learning rate
// lr:
//   p *= 1 - lr * wd;  m = lerp(m, g, 1 - b1);  v = b2 v + (1 - b2) g^2;  t += 1
//   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
class AdamW {
 public:
  AdamW(std::vector<ParamGroup> groups, AdamWOptions options = {});

  // Each gradient is taken times `grad_scale` first, as if scaled in place (the clipping
  // coefficient; see grad_clip.hpp). fp32 parameters update in one fused pass whose results equal
  // the reference's ops bit for bit. A sparse gradient over rows (an nn::Embedding with sparse
  // gradients) steps exactly like its dense form: rows without an entry take a zero gradient.
  void step(double lr, float grad_scale = 1.0f);
  void zero_grad();
  const std::vector<ParamGroup>& groups() const { return groups_; }
  // All trainable parameters, group by group.
  std::vector<torch::Tensor> parameters() const;

  // Optimizer state as named tensors ("g0.p3.exp_avg", "g0.p3.exp_avg_sq", "g0.p3.step") for
  // checkpoints; load_state throws WeightsError on a missing or mis-shaped entry.
  std::map<std::string, torch::Tensor> state() const;
  void load_state(const std::map<std::string, torch::Tensor>& state);

 private:
  struct Slot {
    torch::Tensor exp_avg, exp_avg_sq;
    int64_t step = 0;
  };
  std::vector<ParamGroup> groups_;
  std::vector<std::vector<Slot>> slots_;
  AdamWOptions options_;
};

}  // namespace finsent::train
