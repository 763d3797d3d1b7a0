// Linear warmup then linear decay to zero, as transformers' get_linear_schedule_with_warmup.
#pragma once

#include <cstdint>

namespace finsent::train {

// lr(k) for the optimizer step that follows k completed steps (k = 0 for the first step):
//   k < warmup:  base_lr * k / max(1, warmup)
//   otherwise:   base_lr * max(0, (total - k) / max(1, total - warmup))
// so with warmup the very first step uses lr 0, exactly as LambdaLR does in the reference.
class LinearSchedule {
 public:
  LinearSchedule(double base_lr, int64_t warmup_steps, int64_t total_steps);
  double lr_at(int64_t completed_steps) const;
  int64_t warmup_steps() const { return warmup_; }
  int64_t total_steps() const { return total_; }

 private:
  double base_lr_;
  int64_t warmup_, total_;
};

// Warmup steps from Trainer's rule: a value >= 1 is a step count, a value in [0, 1) a ratio of
// total steps rounded up (ceil(total * ratio)). Throws InputError for a negative value.
int64_t warmup_steps_from(double warmup, int64_t total_steps);

}  // namespace finsent::train
