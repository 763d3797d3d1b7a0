// Added tokens (tokenizer.json "added_tokens"): matched in the text before the model, with
// lstrip / rstrip / single_word / normalized, as tokenizers' AddedVocabulary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "components.hpp"

namespace finsent::text {

struct AddedTokenSpec {
  std::string content;
  int32_t id;
  bool special = false;
  bool lstrip = false, rstrip = false, single_word = false;
  bool normalized = false;  // matched on the normalized text (its content normalized too)
};

class AddedVocabulary {
 public:
  AddedVocabulary() = default;
  // `normalizer` (may be null) normalizes the contents of normalized tokens.
  AddedVocabulary(std::vector<AddedTokenSpec> tokens, const Normalizer* normalizer);

  // The text split around added tokens: first those with normalized = false on the raw text,
  // then the rest normalized and split around normalized tokens (extract_and_normalize).
  PreTokenizedString extract_and_normalize(std::string_view text,
                                           const Normalizer* normalizer) const;

  const AddedTokenSpec* by_id(int32_t id) const;
  const AddedTokenSpec* by_content(std::string_view content) const;
  const std::vector<AddedTokenSpec>& tokens() const { return tokens_; }
  int32_t max_id() const { return max_id_; }

 private:
  struct Matcher {
    // A byte trie over the patterns (node 0 is the root; child 0 means none).
    struct Node {
      std::vector<std::pair<unsigned char, uint32_t>> children;
      int64_t pattern = -1;  // the pattern that ends here
      uint32_t child(unsigned char b) const;
    };
    std::vector<std::pair<std::string, size_t>> patterns;  // text, index in tokens_; longest first
    std::vector<Node> nodes;

    void add(size_t pattern);
    // The leftmost match at or after `from`, the longest there: (byte position, pattern index).
    std::optional<std::pair<size_t, size_t>> leftmost_longest(std::string_view text,
                                                              size_t from) const;
  };
  void split_with(NormalizedString&& s, const Matcher& m, std::vector<Split>& out) const;

  std::vector<AddedTokenSpec> tokens_;
  Matcher raw_, normalized_;
  std::unordered_map<int32_t, size_t> by_id_;  // id -> index in tokens_ (the first with it)
  int32_t max_id_ = -1;
};

}  // namespace finsent::text
