// Which malloc this process runs. The programs link tcmalloc when the build finds it: with glibc's
// malloc, the activation buffers of ever-changing sizes (dynamic padding) stayed mapped after
// being freed, and peak RSS ran up to 1.8x what tcmalloc needed for the same work at the same
// speed (docs/bench.md). `finsent --version` and the benchmarks report it.
#pragma once

#include <string>

namespace finsent {

// "tcmalloc" when gperftools' tcmalloc provides malloc in this process, else "glibc".
std::string allocator_name();

}  // namespace finsent
