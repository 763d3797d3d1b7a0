// Helpers of the ops tests: max abs difference, and test suites run once per device.
#pragma once

#include <cmath>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "finsent/ops/cuda_runtime.hpp"

namespace finsent::ops::testing {

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  if (a.sizes() != b.sizes()) return INFINITY;
  return (a.to(torch::kCPU, torch::kDouble) - b.to(torch::kCPU, torch::kDouble))
      .abs()
      .max()
      .item<double>();
}

// LibTorch's CUDA half (ops::load_cuda_runtime), loaded before any test runs: finsent links
// libtorch_cpu only, and LibTorch keeps its first answer to "is there CUDA?" for the whole process
// (a CPU test's torch::manual_seed asks), so it must be loaded before anything asks.
inline const bool kCudaRuntimeLoaded = load_cuda_runtime().loaded;

// A suite parametrized over devices: the CPU always, CUDA when LibTorch sees a device (skipped
// visibly otherwise). device() is the parameter.
class OnEachDevice : public ::testing::TestWithParam<torch::DeviceType> {
 protected:
  void SetUp() override {
    if (GetParam() == torch::kCUDA && !(kCudaRuntimeLoaded && torch::cuda::is_available()))
      GTEST_SKIP() << "no CUDA device: LibTorch sees none";
  }
  torch::Device device() const { return torch::Device(GetParam()); }
};

inline std::string device_name(const ::testing::TestParamInfo<torch::DeviceType>& info) {
  return info.param == torch::kCUDA ? "cuda" : "cpu";
}

}  // namespace finsent::ops::testing
