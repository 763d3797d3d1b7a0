// The machine's measured GEMM peak (the MFU denominator of the training rows).
// Usage: gemm_bench [--size 2048] [--threads N]
// Prints {"fp32_gflops", "fp32_torch_mm_gflops", "fp32_onednn_gflops", "bf16_gflops", "size"}: best
// of 5 timed calls of size^3 (2*size^3 FLOP each) after a warm-up: torch::mm per dtype (fp32 goes
// to the system BLAS, bf16 to oneDNN), and the oneDNN sgemm that finsent's linear layers run.
// fp32_gflops is the better of the two fp32 figures, so MFU is measured against the fastest fp32
// GEMM this machine has, not against the one finsent happens to use.
#include <torch/torch.h>

#include <algorithm>

#include "bench_io.hpp"
#include "cpu/linear_cpu.hpp"
#include "finsent/core/threads.hpp"

namespace {

enum class Gemm { TorchMm, OneDnnSgemm };

double best_gflops(int64_t n, torch::Dtype dtype, Gemm gemm) {
  torch::manual_seed(0);
  const auto a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
  auto multiply = [&] {
    return gemm == Gemm::TorchMm ? torch::mm(a, b) : finsent::ops::cpu::sgemm(a, false, b, false);
  };
  torch::Tensor c = multiply();  // warm-up
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    const auto start = std::chrono::steady_clock::now();
    c = multiply();
    const double s = finsent::bench::seconds_since(start);
    best = std::max(best, 2.0 * static_cast<double>(n) * static_cast<double>(n) *
                              static_cast<double>(n) / s / 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t size = 2048;
  int threads = 0;
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--size")
      size = std::atoll(argv[++i]);
    else if (a == "--threads")
      threads = std::atoi(argv[++i]);
  }
  finsent::set_num_threads(threads);
  at::set_num_threads(finsent::num_threads());
  torch::NoGradGuard no_grad;
  const double torch_mm = best_gflops(size, torch::kFloat32, Gemm::TorchMm);
  const double onednn = best_gflops(size, torch::kFloat32, Gemm::OneDnnSgemm);
  finsent::bench::emit({{"fp32_gflops", std::max(torch_mm, onednn)},
                        {"fp32_torch_mm_gflops", torch_mm},
                        {"fp32_onednn_gflops", onednn},
                        {"bf16_gflops", best_gflops(size, torch::kBFloat16, Gemm::TorchMm)},
                        {"size", size},
                        {"threads", finsent::num_threads()}});
  return 0;
}
