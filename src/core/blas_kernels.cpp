#include "finsent/core/blas_kernels.hpp"

#include <dlfcn.h>

namespace finsent {

std::string blas_core_name() {
  // Looked up at run time so finsent does not link OpenBLAS itself (LibTorch brings the BLAS).
  using CoreName = char* (*)();
  auto fn = reinterpret_cast<CoreName>(dlsym(RTLD_DEFAULT, "openblas_get_corename"));
  if (fn == nullptr) return "";
  const char* name = fn();
  return name ? std::string(name) : std::string();
}

}  // namespace finsent
