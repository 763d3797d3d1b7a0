// The notebook's baseline: TF-IDF features + multinomial NB, fitted on train, scored on test.
#pragma once

#include <string>
#include <vector>

#include "finsent/data/split.hpp"

namespace finsent::baseline {

struct BaselineResult {
  std::vector<std::string> labels;  // sorted, as LabelEncoder
  std::vector<int> y_true;          // test labels, split order
  std::vector<int> y_pred;          // predictions, split order
  size_t vocabulary_size = 0;
};

// Fits the vectorizer and NB on split.train and predicts split.test (transformed, not refitted).
// Throws InputError when the test split holds a label never seen in training.
BaselineResult run_naive_bayes_baseline(const data::Split& split);

}  // namespace finsent::baseline
