// dlopen of libtorch_cuda.so beside libtorch_cpu.so (see finsent/ops/cuda_runtime.hpp).
#include "finsent/ops/cuda_runtime.hpp"

#include <dlfcn.h>

#include <ATen/Context.h>
#include <filesystem>

namespace finsent::ops {
namespace {

// The folder of the libtorch_cpu.so this process runs, found from one of its functions.
std::filesystem::path libtorch_folder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&at::globalContext), &info) == 0 || info.dli_fname == nullptr)
    return {};
  return std::filesystem::path(info.dli_fname).parent_path();
}

CudaRuntime load() {
  CudaRuntime runtime;
  const auto folder = libtorch_folder();
  runtime.library = (folder / "libtorch_cuda.so").string();
  std::error_code ec;
  if (folder.empty() || !std::filesystem::exists(runtime.library, ec)) {
    runtime.error = runtime.library + " is not installed (scripts/setup.sh --cuda installs it)";
    return runtime;
  }
  if (dlopen(runtime.library.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
    const char* why = dlerror();
    runtime.error = why ? why : "dlopen failed";
    return runtime;
  }
  runtime.loaded = true;
  return runtime;
}

}  // namespace

const CudaRuntime& load_cuda_runtime() {
  static const CudaRuntime runtime = load();  // thread-safe, once
  return runtime;
}

}  // namespace finsent::ops
