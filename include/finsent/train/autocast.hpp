// bf16 autocast on CPU for forward passes, with fp32 master weights.
#pragma once

namespace finsent::train {

// While alive (and `enabled`), eligible CPU ops (matmul, linear, ...) run in bfloat16 through
// LibTorch's AutocastCPU dispatch; parameters stay float32. Restores the previous state and drops
// autocast's cast cache on destruction.
class CpuAutocastBf16 {
 public:
  explicit CpuAutocastBf16(bool enabled);
  ~CpuAutocastBf16();
  CpuAutocastBf16(const CpuAutocastBf16&) = delete;
  CpuAutocastBf16& operator=(const CpuAutocastBf16&) = delete;

 private:
  bool enabled_;
  bool previous_;
};

// Whether the CPU has native bf16 arithmetic (avx512_bf16 or amx_bf16 in /proc/cpuinfo). Without
// it bf16 still works but is emulated and usually slower than float32.
bool cpu_has_native_bf16();

}  // namespace finsent::train
