// Data preparation shared by every flow: the split, its class balance and its label encoding.
#include "finsent/pipeline/prepare_data.hpp"

#include <algorithm>

namespace finsent::pipeline {
namespace {

std::vector<int64_t> counts(const std::vector<data::Example>& rows,
                            const data::LabelEncoder& encoder) {
  std::vector<int64_t> c(encoder.size(), 0);
  for (const auto& r : rows) ++c[static_cast<size_t>(encoder.encode(r.label))];
  return c;
}

}  // namespace

data::Split load_split(const DataOptions& options) {
  return data::split_train_test(data::load_examples(options.source), options.split);
}

ClassBalance class_balance(const data::Split& split) {
  std::vector<data::Example> all = split.train;
  all.insert(all.end(), split.test.begin(), split.test.end());
  const auto encoder = data::LabelEncoder::fit(all);
  ClassBalance b;
  b.labels = encoder.labels();
  b.all = counts(all, encoder);
  b.train = counts(split.train, encoder);
  b.test = counts(split.test, encoder);
  b.rows = all.size();
  b.train_rows = split.train.size();
  b.test_rows = split.test.size();
  b.majority =
      static_cast<size_t>(std::max_element(b.train.begin(), b.train.end()) - b.train.begin());
  if (!b.test.empty() && b.test_rows > 0)
    b.majority_accuracy =
        static_cast<double>(b.test[b.majority]) / static_cast<double>(b.test_rows);
  return b;
}

TrainingSet training_set(const data::Split& split) {
  TrainingSet out;
  out.encoder = data::LabelEncoder::fit(split.train);
  out.texts.texts.reserve(split.train.size());
  out.texts.labels.reserve(split.train.size());
  for (const auto& e : split.train) {
    out.texts.texts.push_back(e.text);
    out.texts.labels.push_back(out.encoder.encode(e.label));
  }
  return out;
}

TestSet test_set(const data::Split& split) {
  TestSet out;
  out.texts.reserve(split.test.size());
  out.gold.reserve(split.test.size());
  for (const auto& e : split.test) {
    out.texts.push_back(e.text);
    out.gold.push_back(e.label);
  }
  return out;
}

}  // namespace finsent::pipeline
