// One place that decides how many threads finsent's own loops and LibTorch's kernels use.
#pragma once

namespace finsent {

// Number of hardware threads (at least 1).
int hardware_threads();

// Sets LibTorch's intra-op thread count and finsent's worker count. n <= 0 means all hardware
// threads. The default LibTorch picked on the reference machine was 1, so every entry point calls
// this.
void set_num_threads(int n);

// The count last set by set_num_threads (hardware_threads() before any call).
int num_threads();

}  // namespace finsent
