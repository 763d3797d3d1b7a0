// Which GEMM kernels the BLAS under LibTorch runs. OpenBLAS picks them once, at load time, from its
// CPU table or from OPENBLAS_CORETYPE; the choice moves fp32 GEMM speed by up to 1.7x
// (docs/bench.md), so `finsent --version` and the benchmarks report it.
#pragma once

#include <string>

namespace finsent {

// The kernel family of the loaded OpenBLAS ("SkylakeX", "Haswell", ...), or "" when the BLAS in
// this process is not OpenBLAS (or not loaded yet).
std::string blas_core_name();

}  // namespace finsent
