// Seeded epoch order; no std:: distributions, whose output differs between standard libraries.
#include "finsent/train/batching.hpp"

#include <algorithm>

namespace finsent::train {

uint64_t SplitMix64::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::below(uint64_t n) {
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

std::vector<size_t> shuffled_indices(size_t n, uint64_t seed) {
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  SplitMix64 rng(seed);
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

std::vector<std::vector<size_t>> chunk_into_batches(const std::vector<size_t>& order,
                                                    size_t batch_size) {
  std::vector<std::vector<size_t>> batches;
  for (size_t begin = 0; begin < order.size(); begin += batch_size) {
    const size_t end = std::min(order.size(), begin + batch_size);
    batches.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(begin),
                         order.begin() + static_cast<std::ptrdiff_t>(end));
  }
  return batches;
}

std::vector<std::vector<size_t>> epoch_batches(size_t n, size_t batch_size, uint64_t seed,
                                               int64_t epoch, const std::vector<size_t>* lengths) {
  // Mix the epoch in so consecutive epochs do not share a prefix of the generator's stream.
  const uint64_t epoch_seed =
      SplitMix64(seed ^ (0xD1B54A32D192ED03ull * (static_cast<uint64_t>(epoch) + 1))).next();
  std::vector<size_t> order = shuffled_indices(n, epoch_seed);
  if (lengths) {
    const size_t mega = 50 * batch_size;
    for (size_t begin = 0; begin < n; begin += mega) {
      const auto first = order.begin() + static_cast<std::ptrdiff_t>(begin);
      const auto last = order.begin() + static_cast<std::ptrdiff_t>(std::min(n, begin + mega));
      std::stable_sort(first, last,
                       [&](size_t a, size_t b) { return (*lengths)[a] > (*lengths)[b]; });
    }
  }
  std::vector<std::vector<size_t>> batches = chunk_into_batches(order, batch_size);
  if (lengths && batches.size() > 1) {
    // Longest batch first (LengthGroupedSampler does the same).
    auto longest =
        std::max_element(batches.begin(), batches.end(), [&](const auto& a, const auto& b) {
          return (*lengths)[a.front()] < (*lengths)[b.front()];
        });
    std::iter_swap(batches.begin(), longest);
  }
  return batches;
}

}  // namespace finsent::train
