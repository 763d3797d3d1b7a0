// The keep/drop hash behind ops::dropout's CPU kernel, inline so other fused kernels draw the
// same masks.
#pragma once

#include <algorithm>
#include <cstdint>

namespace finsent::ops::cpu {

// A 32-bit integer hash with low bias (Wellons' "lowbias32"), two rounds keyed by the seed's
// halves: element i's draw is hash(hash(i + lo) ^ hi). 32-bit lanes keep the loop vectorizable.
[[gnu::always_inline]] inline uint32_t hash32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

[[gnu::always_inline]] inline uint32_t dropout_draw(uint64_t seed, int64_t index) {
  return hash32(hash32(static_cast<uint32_t>(index) + static_cast<uint32_t>(seed)) ^
                static_cast<uint32_t>(seed >> 32));
}

// Elements are kept when their draw is at least this (p * 2^32, rounded).
inline uint32_t dropout_threshold(double p) {
  return static_cast<uint32_t>(std::min(p * 4294967296.0 + 0.5, 4294967295.0));
}

}  // namespace finsent::ops::cpu
