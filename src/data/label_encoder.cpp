// Sorted-label encoding, as scikit-learn's LabelEncoder.
#include "finsent/data/label_encoder.hpp"

#include <algorithm>
#include <set>

#include "finsent/core/error.hpp"

namespace finsent::data {

LabelEncoder LabelEncoder::fit(const std::vector<Example>& examples) {
  std::set<std::string> unique;
  for (const auto& e : examples) unique.insert(e.label);
  return from_labels(std::vector<std::string>(unique.begin(), unique.end()));
}

LabelEncoder LabelEncoder::from_labels(std::vector<std::string> labels) {
  LabelEncoder encoder;
  encoder.index_.reserve(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!encoder.index_.emplace(labels[i], static_cast<int>(i)).second)
      throw InputError("duplicate label '" + labels[i] + "'");
  }
  encoder.labels_ = std::move(labels);
  return encoder;
}

int LabelEncoder::encode(const std::string& label) const {
  const auto it = index_.find(label);
  if (it == index_.end()) {
    std::string known;
    for (const auto& l : labels_) known += (known.empty() ? "" : ", ") + l;
    throw InputError("unknown label '" + label + "' (known: " + known + ")");
  }
  return it->second;
}

std::vector<int> LabelEncoder::encode_all(const std::vector<Example>& examples) const {
  std::vector<int> out;
  out.reserve(examples.size());
  for (const auto& e : examples) out.push_back(encode(e.label));
  return out;
}

const std::string& LabelEncoder::decode(int index) const {
  if (index < 0 || static_cast<size_t>(index) >= labels_.size()) {
    throw InputError("label index " + std::to_string(index) + " out of range");
  }
  return labels_[static_cast<size_t>(index)];
}

}  // namespace finsent::data
