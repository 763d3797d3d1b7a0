// PreTokenizedString: the splits of a normalized text, each either still text or already tokens
// (tokenizers::PreTokenizedString).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "normalized_string.hpp"

namespace finsent::text {

// A model token: id and byte range [begin, end) in its split's normalized text.
struct Token {
  int32_t id;
  uint32_t begin, end;
  // The token's string is its text [begin, end), not the vocabulary's (Unigram's unknown tokens).
  bool literal = false;
};

struct Split {
  NormalizedString normalized;
  std::optional<std::vector<Token>> tokens;  // set once tokenized (added tokens come pre-set)
};

class PreTokenizedString {
 public:
  explicit PreTokenizedString(NormalizedString whole) { splits_.push_back({std::move(whole), {}}); }
  PreTokenizedString() = default;

  // Replaces every split that has no tokens yet by f(index, split)'s pieces, dropping empty ones
  // (tokenizers' split).
  void split(const std::function<std::vector<NormalizedString>(size_t, NormalizedString&&)>& f);
  // Applies f to every split without tokens (normalizers over pre-tokenized text).
  void normalize(const std::function<void(NormalizedString&)>& f);

  std::vector<Split>& splits() { return splits_; }
  const std::vector<Split>& splits() const { return splits_; }

 private:
  std::vector<Split> splits_;
};

}  // namespace finsent::text
