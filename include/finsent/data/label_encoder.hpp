// Label ↔ index mapping like scikit-learn's LabelEncoder: labels sorted, index = position.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "finsent/data/example.hpp"

namespace finsent::data {

class LabelEncoder {
 public:
  LabelEncoder() = default;
  // Sorted (byte order) unique labels of the examples, as LabelEncoder.fit does.
  static LabelEncoder fit(const std::vector<Example>& examples);
  // From an explicit ordered list (e.g. a model's id2label). Throws InputError on duplicates.
  static LabelEncoder from_labels(std::vector<std::string> labels);

  // Index of label, in constant expected time; throws InputError naming the label and the known
  // ones.
  int encode(const std::string& label) const;
  std::vector<int> encode_all(const std::vector<Example>& examples) const;
  const std::string& decode(int index) const;
  const std::vector<std::string>& labels() const { return labels_; }
  size_t size() const { return labels_.size(); }

 private:
  std::vector<std::string> labels_;
  std::unordered_map<std::string, int> index_;  // label -> position in labels_
};

}  // namespace finsent::data
