// Parsing and resolving `--device`: the one place that asks LibTorch which devices exist.
#include "finsent/pipeline/device.hpp"

#include <ATen/Context.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "finsent/core/error.hpp"
#include "finsent/ops/cuda_runtime.hpp"

namespace finsent::pipeline {
namespace {

constexpr int kMaxDeviceIndex = 1023;

std::string libtorch_version() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

// A decimal index without sign, leading '+' or spaces; nullopt when out of range.
std::optional<int> parse_index(const std::string& digits) {
  if (digits.empty() || digits.size() > 4) return std::nullopt;
  int value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > kMaxDeviceIndex) return std::nullopt;
  return value;
}

}  // namespace

std::optional<DeviceSpec> parse_device_spec(const std::string& text) {
  if (text == "auto") return DeviceSpec{DeviceSpec::Kind::Auto, std::nullopt};
  if (text == "cpu") return DeviceSpec{DeviceSpec::Kind::Cpu, std::nullopt};
  if (text == "cuda") return DeviceSpec{DeviceSpec::Kind::Cuda, std::nullopt};
  const std::string prefix = "cuda:";
  if (text.rfind(prefix, 0) != 0) return std::nullopt;
  const auto index = parse_index(text.substr(prefix.size()));
  if (!index) return std::nullopt;
  return DeviceSpec{DeviceSpec::Kind::Cuda, index};
}

bool cuda_available() {
  // LibTorch's CUDA half first: at::hasCUDA() keeps its first answer for the whole process.
  return ops::load_cuda_runtime().loaded && at::hasCUDA() && torch::cuda::device_count() > 0;
}

torch::Device resolve_device(const DeviceSpec& spec, const std::string& text) {
  if (spec.kind == DeviceSpec::Kind::Cpu) return torch::kCPU;
  if (spec.kind == DeviceSpec::Kind::Auto)
    return cuda_available() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  const std::string flag = "--device " + text + ": ";
  const ops::CudaRuntime& runtime = ops::load_cuda_runtime();
  if (!runtime.loaded)
    throw ConfigError(flag + "LibTorch " + libtorch_version() + "'s CUDA libraries are not " +
                      "available (" + runtime.error + "); use --device cpu");
  if (!at::hasCUDA())
    throw ConfigError(flag + "CUDA is installed but no driver or device answers; use --device cpu");
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (count == 0) throw ConfigError(flag + "no CUDA device is visible; use --device cpu");
  const int index = spec.index.value_or(0);
  if (index >= count)
    throw ConfigError(flag + "only " + std::to_string(count) +
                      " CUDA device(s) are visible (cuda:0 to cuda:" + std::to_string(count - 1) +
                      ")");
  return torch::Device(torch::kCUDA, static_cast<torch::DeviceIndex>(index));
}

torch::Device resolve_device(const std::string& text) {
  const auto spec = parse_device_spec(text);
  if (!spec) throw InputError("--device " + text + ": expected auto, cpu, cuda or cuda:N");
  return resolve_device(*spec, text);
}

}  // namespace finsent::pipeline
