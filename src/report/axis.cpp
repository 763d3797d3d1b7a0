// Linear scales and nice ticks (the classic 1-2-5 "nice numbers" rule).
#include "finsent/report/axis.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "finsent/report/number_format.hpp"

namespace finsent::report {
namespace {

// A 1, 2 or 5 times a power of ten near x > 0; `round` picks the nearest, else the one above.
double nice_number(double x, bool round) {
  const double exponent = std::floor(std::log10(x));
  const double power = std::pow(10.0, exponent);
  const double f = x / power;
  double nf;
  if (round) {
    nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  } else {
    nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  }
  return nf * power;
}

}  // namespace

LinearScale::LinearScale(double d0, double d1, double p0, double p1)
    : d0_(d0), d1_(d1), p0_(p0), p1_(p1) {}

double LinearScale::operator()(double value) const {
  if (d1_ == d0_) return (p0_ + p1_) / 2;
  return p0_ + (value - d0_) / (d1_ - d0_) * (p1_ - p0_);
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (lo > hi) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  target = std::max(target, 2);
  const double range = nice_number(hi - lo, false);
  const double step = nice_number(range / (target - 1), true);
  // Indices instead of repeated addition, so ticks are exact multiples of the step.
  const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
  const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
  // For steps below 1, dividing by the integer 1/step rounds correctly (3 * 0.2 != 0.6, 3 / 5.0 ==
  // 0.6).
  const double inverse = step < 1 ? std::round(1 / step) : 0;
  std::vector<double> ticks;
  for (long long k = first; k <= last; ++k) {
    const double t = inverse > 0 ? static_cast<double>(k) / inverse : static_cast<double>(k) * step;
    ticks.push_back(t == 0 ? 0.0 : t);
  }
  return ticks;
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
  std::vector<std::string> labels;
  if (ticks.empty()) return labels;
  const double step = ticks.size() > 1 ? std::abs(ticks[1] - ticks[0]) : std::abs(ticks[0]);
  double max_abs = 0;
  for (double t : ticks) max_abs = std::max(max_abs, std::abs(t));
  const bool scientific = step > 0 && (step < 1e-3 || max_abs >= 1e6);
  for (double t : ticks) {
    if (scientific) {
      const int digits = std::max(
          0, static_cast<int>(std::floor(std::log10(max_abs)) - std::floor(std::log10(step))));
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, t, std::chars_format::scientific, digits);
      labels.emplace_back(t == 0 ? std::string("0") : std::string(buf, r.ptr));
    } else {
      const int decimals =
          step > 0 ? std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9))) : 0;
      labels.push_back(format_fixed(t, decimals));
    }
  }
  return labels;
}

}  // namespace finsent::report
