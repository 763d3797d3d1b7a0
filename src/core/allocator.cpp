#include "finsent/core/allocator.hpp"

#include <dlfcn.h>

namespace finsent {

std::string allocator_name() {
  // tcmalloc exports its own entry points next to malloc; looked up so that the library layers
  // never depend on the allocator the program chose.
  return dlsym(RTLD_DEFAULT, "tc_malloc") != nullptr ? "tcmalloc" : "glibc";
}

}  // namespace finsent
