// LibTorch's CUDA half, loaded at run time: one finsent binary for CPU-only and GPU machines.
//
// finsent links libtorch_cpu and libc10 only. CUDA kernels, the CUDA allocator and LibTorch's
// CUDA hooks live in libtorch_cuda.so, which needs the CUDA libraries (cuBLAS, cuDNN, NCCL, ...;
// ~3 GB, installed by `scripts/setup.sh --cuda`). Loading it registers all of them with the
// dispatcher, exactly as `import torch` does in Python; a machine without them never needs them.
#pragma once

#include <string>

namespace finsent::ops {

struct CudaRuntime {
  bool loaded = false;
  std::string library;  // the libtorch_cuda.so path tried
  std::string error;    // why it did not load (empty when loaded)
};

// Loads libtorch_cuda.so from the folder libtorch_cpu.so was loaded from (RTLD_NOW|RTLD_GLOBAL),
// once per process; later calls return the first result. Never throws.
// Call it before anything asks LibTorch about CUDA: at::hasCUDA() and torch::cuda::* cache their
// first answer for the life of the process (pipeline::resolve_device does this for --device).
const CudaRuntime& load_cuda_runtime();

}  // namespace finsent::ops
