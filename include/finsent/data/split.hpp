// Train/test split that reproduces the notebook: random.seed(seed); random.shuffle(rows); 85/15.
#pragma once

#include <cstdint>
#include <vector>

#include "finsent/data/example.hpp"

namespace finsent::data {

struct SplitOptions {
  uint64_t seed = 0;
  double test_ratio = 0.15;  // in [0, 1)
  bool stratified = false;
};

struct Split {
  std::vector<Example> train;
  std::vector<Example> test;
};

// Non-stratified: shuffles with Python's random.shuffle after random.seed(seed), then the first
// floor(n * (1 - test_ratio)) rows train, in double arithmetic exactly as Python's
// int(n * (1 - test_ratio)).
// Stratified: rows grouped by label (labels sorted), each group shuffled by the same generator in
// turn, each group cut the same way, train and test then concatenated in label order and shuffled
// once more. Throws InputError for a ratio outside [0, 1).
Split split_train_test(std::vector<Example> rows, const SplitOptions& options);

}  // namespace finsent::data
