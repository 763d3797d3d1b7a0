// The schedule as a pure function of the step count, so a resumed run needs only that count.
#include "finsent/train/lr_schedule.hpp"

#include <algorithm>
#include <cmath>

#include "finsent/core/error.hpp"

namespace finsent::train {

LinearSchedule::LinearSchedule(double base_lr, int64_t warmup_steps, int64_t total_steps)
    : base_lr_(base_lr), warmup_(warmup_steps), total_(total_steps) {}

double LinearSchedule::lr_at(int64_t k) const {
  if (k < warmup_)
    return base_lr_ * static_cast<double>(k) / static_cast<double>(std::max<int64_t>(1, warmup_));
  const double left =
      static_cast<double>(total_ - k) / static_cast<double>(std::max<int64_t>(1, total_ - warmup_));
  return base_lr_ * std::max(0.0, left);
}

int64_t warmup_steps_from(double warmup, int64_t total_steps) {
  if (!(warmup >= 0)) throw InputError("--warmup must be >= 0 (steps, or a ratio below 1)");
  if (warmup >= 1) return static_cast<int64_t>(warmup);
  return static_cast<int64_t>(std::ceil(static_cast<double>(total_steps) * warmup));
}

}  // namespace finsent::train
