// Progress formatting kept apart from the loop so it can be tested without a model.
#include "finsent/train/progress.hpp"

#include <cmath>
#include <cstdio>

namespace finsent::train {

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto total = static_cast<int64_t>(std::llround(seconds));
  const int64_t h = total / 3600, m = (total % 3600) / 60, s = total % 60;
  char buf[48];
  if (h > 0)
    std::snprintf(buf, sizeof(buf), "%lldh%02lldm%02llds", static_cast<long long>(h),
                  static_cast<long long>(m), static_cast<long long>(s));
  else if (m > 0)
    std::snprintf(buf, sizeof(buf), "%lldm%02llds", static_cast<long long>(m),
                  static_cast<long long>(s));
  else
    std::snprintf(buf, sizeof(buf), "%llds", static_cast<long long>(s));
  return buf;
}

std::string format_progress(const ProgressStats& s) {
  char buf[160];
  std::snprintf(buf, sizeof(buf),
                "epoch %lld/%lld step %lld/%lld loss %.4f lr %.2e %.1f sent/s ETA %s",
                static_cast<long long>(s.epoch), static_cast<long long>(s.epochs),
                static_cast<long long>(s.step), static_cast<long long>(s.total_steps), s.loss, s.lr,
                s.sentences_per_second, format_duration(s.eta_seconds).c_str());
  return buf;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool tty, int64_t every_steps)
    : out_(out), tty_(tty), every_(every_steps > 0 ? every_steps : 1) {}

void ProgressPrinter::update(const ProgressStats& stats, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (!force && dirty_ && now - last_ < std::chrono::milliseconds(250)) return;
    out_ << '\r' << format_progress(stats) << "\x1b[K" << std::flush;  // clear the old tail
    dirty_ = true;
  } else {
    if (!force && stats.step % every_ != 0 && stats.step != stats.total_steps) return;
    out_ << format_progress(stats) << '\n' << std::flush;
  }
  last_ = now;
}

void ProgressPrinter::finish() {
  if (tty_ && dirty_) out_ << '\n' << std::flush;
  dirty_ = false;
}

}  // namespace finsent::train
