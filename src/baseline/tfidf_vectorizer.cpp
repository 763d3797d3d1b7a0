// scikit-learn's default text features: word-run tokens, sorted vocabulary, smoothed idf, l2 rows.
#include "finsent/baseline/tfidf_vectorizer.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <utf8proc.h>

#include "finsent/core/error.hpp"

namespace finsent::baseline {
namespace {

bool is_word_char(utf8proc_int32_t cp) {
  if (cp == '_') return true;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

void append_utf8(std::string& out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

}  // namespace

std::vector<std::string> analyze(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  size_t current_chars = 0;
  auto flush = [&] {
    if (current_chars >= 2) tokens.push_back(current);
    current.clear();
    current_chars = 0;
  };
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // an invalid byte: a separator, then resynchronise on the next byte
      flush();
      p += 1;
      left -= 1;
      continue;
    }
    p += n;
    left -= n;
    const utf8proc_int32_t lower = utf8proc_tolower(cp);
    if (is_word_char(lower)) {
      append_utf8(current, lower);
      ++current_chars;
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

void TfidfVectorizer::fit(const std::vector<std::string>& documents) {
  std::map<std::string, int64_t> document_frequency;  // sorted like sklearn's vocabulary
  for (const auto& doc : documents) {
    auto tokens = analyze(doc);
    std::sort(tokens.begin(), tokens.end());
    tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
    for (auto& t : tokens) ++document_frequency[t];
  }
  index_.clear();
  terms_.clear();
  idf_.clear();
  if (document_frequency.empty()) {
    // sklearn's CountVectorizer refuses this too ("empty vocabulary").
    throw InputError(
        "tf-idf: empty vocabulary: the training texts hold no word of two or more "
        "letters or digits");
  }
  const double n = static_cast<double>(documents.size());
  for (const auto& [term, df] : document_frequency) {
    index_.emplace(term, static_cast<int32_t>(terms_.size()));
    terms_.push_back(term);
    idf_.push_back(std::log((1.0 + n) / (1.0 + static_cast<double>(df))) + 1.0);
  }
}

SparseMatrix TfidfVectorizer::transform(const std::vector<std::string>& documents) const {
  SparseMatrix m;
  m.cols = static_cast<int64_t>(terms_.size());
  std::map<int32_t, double> counts;
  std::vector<std::pair<int32_t, double>> row;
  for (const auto& doc : documents) {
    counts.clear();
    for (const auto& t : analyze(doc)) {
      auto it = index_.find(t);
      if (it != index_.end()) counts[it->second] += 1.0;
    }
    row.clear();
    double norm = 0;
    for (const auto& [col, count] : counts) {
      const double v = count * idf_[static_cast<size_t>(col)];
      row.emplace_back(col, v);
      norm += v * v;
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
      for (auto& entry : row) entry.second /= norm;
    }
    m.add_row(row);
  }
  return m;
}

}  // namespace finsent::baseline
