// Thread-count policy shared by LibTorch kernels and finsent's own parallel loops.
#include "finsent/core/threads.hpp"

#include <thread>

namespace finsent {
namespace {
int g_threads = 0;
}  // namespace

int hardware_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void set_num_threads(int n) {
  g_threads = n <= 0 ? hardware_threads() : n;
}

int num_threads() {
  return g_threads <= 0 ? hardware_threads() : g_threads;
}

}  // namespace finsent
