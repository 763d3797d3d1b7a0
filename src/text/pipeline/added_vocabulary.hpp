// Added tokens (tokenizer.json "added_tokens"): matched in the text before the model, with
// lstrip / rstrip / single_word / normalized, as tokenizers' AddedVocabulary.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
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
    std::vector<std::pair<std::string, size_t>> patterns;  // text, index in tokens_; longest first
  };
  void split_with(NormalizedString&& s, const Matcher& m, std::vector<Split>& out) const;

  std::vector<AddedTokenSpec> tokens_;
  Matcher raw_, normalized_;
  int32_t max_id_ = -1;
};

}  // namespace finsent::text
