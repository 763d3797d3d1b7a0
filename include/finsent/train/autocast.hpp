// bf16 autocast for forward passes, with fp32 master weights, on the CPU or a CUDA device.
#pragma once

#include <c10/core/DeviceType.h>

namespace finsent::train {

// While alive (and `enabled`), eligible ops (matmul, linear, ...) on `device` run in bfloat16
// through LibTorch's Autocast dispatch for that device type (torch.autocast(device_type,
// dtype=torch.bfloat16)); parameters stay float32. Restores the previous state and drops
// autocast's cast cache on destruction.
class AutocastBf16 {
 public:
  explicit AutocastBf16(bool enabled, c10::DeviceType device = c10::kCPU);
  ~AutocastBf16();
  AutocastBf16(const AutocastBf16&) = delete;
  AutocastBf16& operator=(const AutocastBf16&) = delete;

 private:
  bool enabled_;
  c10::DeviceType device_;
  bool previous_;
};

// Whether the CPU has native bf16 arithmetic (avx512_bf16 or amx_bf16 in /proc/cpuinfo). Without
// it bf16 still works but is emulated and usually slower than float32.
bool cpu_has_native_bf16();

}  // namespace finsent::train
