// The machine's measured GEMM peak through LibTorch (the MFU denominator of the training rows).
// Usage: gemm_bench [--size 2048] [--threads N]   Prints {"fp32_gflops", "bf16_gflops", "size"}:
// best of 5 timed torch::mm calls of size^3 (2*size^3 FLOP each) after a warm-up, per dtype.
#include <torch/torch.h>

#include <algorithm>

#include "bench_io.hpp"
#include "finsent/core/threads.hpp"

namespace {

double best_gflops(int64_t n, torch::Dtype dtype) {
  torch::manual_seed(0);
  const auto a = torch::randn({n, n}).to(dtype), b = torch::randn({n, n}).to(dtype);
  torch::Tensor c = torch::mm(a, b);  // warm-up
  double best = 0;
  for (int r = 0; r < 5; ++r) {
    const auto start = std::chrono::steady_clock::now();
    c = torch::mm(a, b);
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
  finsent::bench::emit({{"fp32_gflops", best_gflops(size, torch::kFloat32)},
                        {"bf16_gflops", best_gflops(size, torch::kBFloat16)},
                        {"size", size},
                        {"threads", finsent::num_threads()}});
  return 0;
}
