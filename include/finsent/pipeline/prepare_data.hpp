// Preparing labelled data for the flows: read, split, class balance, label encoding.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "finsent/data/dataset.hpp"
#include "finsent/data/label_encoder.hpp"
#include "finsent/data/split.hpp"
#include "finsent/train/trainer.hpp"

namespace finsent::pipeline {

// Where the data comes from and how it is split (the flags --data, --format, --text-column,
// --label-column, --max-data-bytes, --seed, --test-ratio, --stratify).
struct DataOptions {
  data::DataSource source;
  data::SplitOptions split;
};

// Reads options.source (data::load_examples) and splits it (data::split_train_test). Throws what
// they throw (InputError "FILE:LINE: ...").
data::Split load_split(const DataOptions& options);

// Rows per class in the whole file and in each part of the split.
struct ClassBalance {
  std::vector<std::string> labels;        // every label of the data, sorted (LabelEncoder's order)
  std::vector<int64_t> all, train, test;  // counts, one per label, in labels' order
  size_t rows = 0, train_rows = 0, test_rows = 0;
  // The most frequent training class (the first of ties): the floor any model must beat is its
  // accuracy on the test split, majority_accuracy (0 when the test split is empty).
  size_t majority = 0;
  double majority_accuracy = 0;
};

// Counts each part once (linear in rows + labels).
ClassBalance class_balance(const data::Split& split);

// The training split as the trainer takes it: the head learns the training split's classes (as
// run_glue's label_list), sorted; a class found only in the test split cannot be predicted but is
// still scored.
struct TrainingSet {
  data::LabelEncoder encoder;  // fitted on split.train
  train::LabeledTexts texts;   // split.train, labels as encoder ids, in split order
};
TrainingSet training_set(const data::Split& split);

// The test split as evaluation takes it: texts and their gold label names, in split order.
struct TestSet {
  std::vector<std::string> texts;
  std::vector<std::string> gold;
};
TestSet test_set(const data::Split& split);

}  // namespace finsent::pipeline
