// The order examples are visited in each epoch: seeded shuffling, optional length grouping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace finsent::train {

// Deterministic 64-bit generator (splitmix64), the same sequence on every platform, so an epoch's
// order is a pure function of (seed, epoch) and a resumed run can recompute it.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next();
  // Uniform in [0, n) without modulo bias; n > 0.
  uint64_t below(uint64_t n);

 private:
  uint64_t state_;
};

// A permutation of [0, n), Fisher-Yates driven by SplitMix64(seed).
std::vector<size_t> shuffled_indices(size_t n, uint64_t seed);

// Batches of example indices for one epoch (the last batch may be smaller).
// `order` cut into consecutive batches of batch_size (the last one shorter when it does not
// divide).
std::vector<std::vector<size_t>> chunk_into_batches(const std::vector<size_t>& order,
                                                    size_t batch_size);

// Without lengths: a seeded shuffle of [0, n) cut into batches. With lengths (one per example):
// like Transformers' LengthGroupedSampler, the shuffled order is cut into mega-batches of
// 50 * batch_size, each sorted by length (longest first) and cut into batches, so a batch pads
// little; the longest batch goes first so an out-of-memory shows at once.
std::vector<std::vector<size_t>> epoch_batches(size_t n, size_t batch_size, uint64_t seed,
                                               int64_t epoch,
                                               const std::vector<size_t>* lengths = nullptr);

}  // namespace finsent::train
