// Thin RAII over at::autocast's CPU switches (LibTorch 1.13 exposes no C++ guard of its own).
#include "finsent/train/autocast.hpp"

#include <ATen/autocast_mode.h>

#include <fstream>
#include <string>

namespace finsent::train {

CpuAutocastBf16::CpuAutocastBf16(bool enabled)
    : enabled_(enabled), previous_(at::autocast::is_cpu_enabled()) {
  if (!enabled_) return;
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(true);
}

CpuAutocastBf16::~CpuAutocastBf16() {
  if (!enabled_) return;
  at::autocast::set_cpu_enabled(previous_);
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
