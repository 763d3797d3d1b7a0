// Locale-independent number formatting (std::to_chars never consults the C locale).
#include "finsent/report/number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace finsent::report {
namespace {

std::string non_finite(double value) {
  if (std::isnan(value)) return "nan";
  return value > 0 ? "inf" : "-inf";
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  if (!std::isfinite(value)) return non_finite(value);
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  std::string out(buf, r.ptr);
  if (out.find_first_not_of("-0.") == std::string::npos && out.front() == '-') out.erase(0, 1);
  return out;
}

std::string format_short(double value) {
  if (!std::isfinite(value)) return non_finite(value);
  if (value == 0) return "0";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 4);
  return std::string(buf, r.ptr);
}

std::string format_percent(double fraction, int decimals) {
  return format_fixed(fraction * 100.0, decimals) + "%";
}

std::string format_seconds(double seconds) {
  if (!std::isfinite(seconds)) return non_finite(seconds);
  if (seconds < 10) return format_fixed(seconds, 2) + " s";
  if (seconds < 60) return format_fixed(seconds, 1) + " s";
  const auto whole = static_cast<long long>(std::llround(seconds));
  char buf[64];
  if (whole < 3600) {
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", whole / 60, whole % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", whole / 3600, (whole % 3600) / 60);
  }
  return buf;
}

}  // namespace finsent::report
