// The notebook's split (Python shuffle, then a floor cut) and a documented stratified variant.
#include "finsent/data/split.hpp"

#include <cmath>
#include <map>

#include "finsent/core/error.hpp"
#include "finsent/data/python_random.hpp"

namespace finsent::data {
namespace {
// Python's int(n * (1 - test_ratio)) in the same double arithmetic, so any ratio cuts where the
// notebook's code would (1 - 0.9 is 0.09999999999999998: 10 rows keep 0 for training, as in
// Python).
size_t train_size(size_t n, double test_ratio) {
  return static_cast<size_t>(std::floor(static_cast<double>(n) * (1.0 - test_ratio)));
}
}  // namespace

Split split_train_test(std::vector<Example> rows, const SplitOptions& options) {
  if (!(options.test_ratio >= 0.0 && options.test_ratio < 1.0)) {
    throw InputError("--test-ratio must be in [0, 1), got " + std::to_string(options.test_ratio));
  }
  PythonRandom rng(options.seed);
  Split split;
  if (!options.stratified) {
    rng.shuffle(rows);
    const size_t cut = train_size(rows.size(), options.test_ratio);
    split.train.assign(std::make_move_iterator(rows.begin()),
                       std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(cut)));
    split.test.assign(std::make_move_iterator(rows.begin() + static_cast<std::ptrdiff_t>(cut)),
                      std::make_move_iterator(rows.end()));
    return split;
  }
  std::map<std::string, std::vector<Example>> groups;
  for (auto& row : rows) groups[row.label].push_back(std::move(row));
  for (auto& [label, group] : groups) {
    rng.shuffle(group);
    const size_t cut = train_size(group.size(), options.test_ratio);
    for (size_t i = 0; i < group.size(); ++i) {
      (i < cut ? split.train : split.test).push_back(std::move(group[i]));
    }
  }
  rng.shuffle(split.train);
  rng.shuffle(split.test);
  return split;
}

}  // namespace finsent::data
