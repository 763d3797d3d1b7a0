// `--device auto|cpu|cuda[:N]`: the device a flow runs its model, batches and optimizer on.
#pragma once

#include <c10/core/Device.h>

#include <optional>
#include <string>

namespace finsent::pipeline {

// A device as the user wrote it, checked for form only (what the build has is not asked).
struct DeviceSpec {
  enum class Kind { Auto, Cpu, Cuda };
  Kind kind = Kind::Auto;
  std::optional<int> index;  // cuda:N; nullopt for "cuda" (device 0), auto and cpu
};

// "auto", "cpu", "cuda" or "cuda:N" (N a decimal device index, 0..1023). Anything else (tpu,
// cuda:, cuda:-1, cpu:0, CUDA) is nullopt: a usage error for the CLI.
std::optional<DeviceSpec> parse_device_spec(const std::string& text);

// What `spec` means in this process: auto is cuda:0 when LibTorch sees a CUDA device, else cpu;
// cpu is cpu; cuda[:N] is that CUDA device. `text` is how the user wrote it (for messages).
// Loads LibTorch's CUDA half first (ops::load_cuda_runtime). Throws ConfigError, one line, when
// CUDA is asked for and cannot be had: "--device cuda: LibTorch 2.15.0's CUDA libraries are not
// available (.../libtorch_cuda.so is not installed (scripts/setup.sh --cuda installs it)); use
// --device cpu", "CUDA is installed but no driver or device answers", "no CUDA device is visible"
// or "only K CUDA device(s) are visible".
c10::Device resolve_device(const DeviceSpec& spec, const std::string& text);

// parse_device_spec + resolve_device; a malformed value throws InputError naming the forms.
c10::Device resolve_device(const std::string& text);

// Whether LibTorch's CUDA half loads here and sees at least one device.
bool cuda_available();

}  // namespace finsent::pipeline
