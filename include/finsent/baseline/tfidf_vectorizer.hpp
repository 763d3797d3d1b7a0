// CountVectorizer + TfidfTransformer with scikit-learn's defaults (lowercase, (?u)\b\w\w+\b,
// smooth_idf, l2 norm, no sublinear tf).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "finsent/baseline/sparse_matrix.hpp"

namespace finsent::baseline {

// Tokens as scikit-learn's default analyzer yields them: text lowercased (Unicode simple case
// mapping, which equals Python's str.lower for every Latin-1 character), then every maximal run of
// two or more word characters (Unicode letters L*, numbers N*, and '_', as Python's re \w).
// Invalid UTF-8 bytes count as non-word characters.
std::vector<std::string> analyze(std::string_view text);

class TfidfVectorizer {
 public:
  // Learns the vocabulary (sorted, as sklearn) and idf = ln((1 + n) / (1 + df)) + 1. Throws
  // InputError when no document holds a token (sklearn: "empty vocabulary").
  void fit(const std::vector<std::string>& documents);
  // Term counts × idf, each row scaled to unit l2 norm (all-zero rows stay zero). Words outside
  // the fitted vocabulary are ignored, as sklearn's transform does.
  SparseMatrix transform(const std::vector<std::string>& documents) const;

  const std::vector<std::string>& vocabulary() const { return terms_; }
  const std::vector<double>& idf() const { return idf_; }

 private:
  std::unordered_map<std::string, int32_t> index_;
  std::vector<std::string> terms_;
  std::vector<double> idf_;
};

}  // namespace finsent::baseline
