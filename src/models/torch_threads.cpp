// LibTorch's thread count from finsent's one setting.
#include "finsent/models/torch_threads.hpp"

#include <torch/torch.h>

#include "finsent/core/threads.hpp"

namespace finsent::models {

void apply_torch_threads() {
  const int n = finsent::num_threads();
  if (torch::get_num_threads() != n) torch::set_num_threads(n);
}

}  // namespace finsent::models
