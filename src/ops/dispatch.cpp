// The fused-kernel eligibility test, written once for every op.
#include "dispatch.hpp"

#include <ATen/autocast_mode.h>

namespace finsent::ops::detail {

bool cpu_kernel_applies(TensorRefs tensors, KernelNeeds needs) {
  if (needs.outside_autocast && at::autocast::is_autocast_enabled(at::kCPU)) return false;
  for (const torch::Tensor& t : tensors) {
    if (!t.defined() || !t.device().is_cpu()) return false;
    const auto dtype = t.scalar_type();
    const bool dtype_ok =
        needs.dtypes == KernelNeeds::Dtypes::Float32
            ? dtype == torch::kFloat32
            : dtype == torch::kFloat32 || dtype == torch::kFloat64 || dtype == torch::kBFloat16;
    if (!dtype_ok) return false;
    if (needs.contiguous && (t.layout() != torch::kStrided || !t.is_contiguous())) return false;
  }
  return true;
}

}  // namespace finsent::ops::detail
