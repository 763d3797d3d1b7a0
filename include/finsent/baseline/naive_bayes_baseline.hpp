// The notebook's baseline: TF-IDF features + multinomial NB, fitted on train, scored on test.
#pragma once

#include <string>
#include <vector>

#include "finsent/data/split.hpp"

namespace finsent::baseline {

struct BaselineResult {
  std::vector<std::string> labels;  // sorted labels of both splits, as LabelEncoder
  std::vector<int> y_true;          // test labels (indices into labels), split order
  std::vector<int> y_pred;          // predictions (indices into labels), split order
  size_t vocabulary_size = 0;
};

// Fits the vectorizer and NB on split.train and predicts split.test (transformed, not refitted), as
// scikit-learn's Pipeline does: NB knows the training split's classes only, so a class found only
// in the test split is scored (it counts in y_true) but never predicted.
BaselineResult run_naive_bayes_baseline(const data::Split& split);

}  // namespace finsent::baseline
