// Thin RAII over at::autocast's per-device switches.
#include "finsent/train/autocast.hpp"

#include <ATen/autocast_mode.h>

#include <fstream>
#include <string>

namespace finsent::train {

AutocastBf16::AutocastBf16(bool enabled, c10::DeviceType device)
    : enabled_(enabled), device_(device), previous_(at::autocast::is_autocast_enabled(device)) {
  if (!enabled_) return;
  at::autocast::set_autocast_dtype(device_, at::kBFloat16);
  at::autocast::set_autocast_enabled(device_, true);
}

AutocastBf16::~AutocastBf16() {
  if (!enabled_) return;
  at::autocast::set_autocast_enabled(device_, previous_);
  if (!previous_) at::autocast::clear_cache();
}

bool cpu_has_native_bf16() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    return line.find(" avx512_bf16") != std::string::npos ||
           line.find(" amx_bf16") != std::string::npos;
  }
  return false;
}

}  // namespace finsent::train
