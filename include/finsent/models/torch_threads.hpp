// Applies finsent's thread policy (finsent::num_threads()) to LibTorch's intra-op pool.
#pragma once

namespace finsent::models {

// Sets torch::set_num_threads(finsent::num_threads()); call after finsent::set_num_threads and
// before the first forward pass. Inter-op threads are left to LibTorch.
void apply_torch_threads();

}  // namespace finsent::models
