// --device: the forms accepted, what auto means, and the one-line refusal of CUDA without CUDA.
#include <gtest/gtest.h>

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "finsent/core/error.hpp"
#include "finsent/ops/cuda_runtime.hpp"
#include "finsent/pipeline/device.hpp"

namespace finsent::pipeline {
namespace {

using Kind = DeviceSpec::Kind;

TEST(DeviceSpec, AcceptsAutoCpuCudaAndCudaWithAnIndex) {
  EXPECT_EQ(parse_device_spec("auto")->kind, Kind::Auto);
  EXPECT_EQ(parse_device_spec("cpu")->kind, Kind::Cpu);
  const auto cuda = parse_device_spec("cuda");
  ASSERT_TRUE(cuda.has_value());
  EXPECT_EQ(cuda->kind, Kind::Cuda);
  EXPECT_FALSE(cuda->index.has_value());
  const auto cuda1 = parse_device_spec("cuda:1");
  ASSERT_TRUE(cuda1.has_value());
  EXPECT_EQ(cuda1->kind, Kind::Cuda);
  EXPECT_EQ(cuda1->index, 1);
  EXPECT_EQ(parse_device_spec("cuda:0")->index, 0);
  EXPECT_EQ(parse_device_spec("cuda:1023")->index, 1023);
}

TEST(DeviceSpec, RejectsEveryOtherForm) {
  for (const char* bad :
       {"", "tpu", "gpu", "CPU", "Cuda", "cuda:", "cuda:-1", "cuda:+1", "cuda: 1", "cuda:1 ",
        " cuda", "cuda:1024", "cuda:99999999999", "cuda:x", "cuda:0:1", "cpu:0", "mps", "auto:0"})
    EXPECT_FALSE(parse_device_spec(bad).has_value()) << '"' << bad << '"';
}

TEST(ResolveDevice, CpuIsCpuAndAutoFollowsWhatLibTorchSees) {
  EXPECT_EQ(resolve_device("cpu"), torch::Device(torch::kCPU));
  const torch::Device automatic = resolve_device("auto");
  if (cuda_available())
    EXPECT_EQ(automatic, torch::Device(torch::kCUDA, 0));
  else
    EXPECT_EQ(automatic, torch::Device(torch::kCPU));
}

TEST(ResolveDevice, MalformedValuesAreInputErrorsNamingTheForms) {
  try {
    resolve_device("tpu");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--device tpu: expected auto, cpu, cuda or cuda:N");
  }
}

TEST(ResolveDevice, CudaWithoutCudaIsOneConfigErrorLine) {
  const ops::CudaRuntime& runtime = ops::load_cuda_runtime();
  if (runtime.loaded) GTEST_SKIP() << "LibTorch's CUDA libraries are installed here";
  EXPECT_NE(runtime.error.find("libtorch_cuda.so"), std::string::npos) << runtime.error;
  const std::string version = std::to_string(TORCH_VERSION_MAJOR) + "." +
                              std::to_string(TORCH_VERSION_MINOR) + "." +
                              std::to_string(TORCH_VERSION_PATCH);
  for (const std::string spec : {"cuda", "cuda:0", "cuda:3"}) {
    try {
      resolve_device(spec);
      ADD_FAILURE() << "expected ConfigError for " << spec;
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()), "--device " + spec + ": LibTorch " + version +
                                           "'s CUDA libraries are not available (" + runtime.error +
                                           "); use --device cpu");
    }
  }
}

TEST(ResolveDevice, CudaIndexBeyondTheVisibleDevicesIsRefused) {
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device visible to LibTorch";
  const auto count = static_cast<int>(torch::cuda::device_count());
  EXPECT_EQ(resolve_device("cuda"), torch::Device(torch::kCUDA, 0));
  EXPECT_EQ(resolve_device("cuda:" + std::to_string(count - 1)),
            torch::Device(torch::kCUDA, static_cast<torch::DeviceIndex>(count - 1)));
  EXPECT_THROW(resolve_device("cuda:" + std::to_string(count)), ConfigError);
}

}  // namespace
}  // namespace finsent::pipeline
