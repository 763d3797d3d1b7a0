// Added (special) tokens matched verbatim in the raw text before normalization, as the reference
// does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::text {

struct AddedToken {
  std::string content;
  int32_t id;
  bool special;  // dropped by decode(skip_special_tokens=true)
};

// Leftmost-longest matching of the added tokens with normalized=false (tokenizers'
// AddedVocabulary uses Aho-Corasick with MatchKind::LeftmostLongest on the original text).
class AddedTokenMatcher {
 public:
  void add(AddedToken token);

  struct Match {
    size_t begin, end;
    int32_t id;
  };
  // First match starting at or after `from`; begin == npos when there is none.
  Match find(std::string_view text, size_t from) const;

  bool empty() const { return tokens_.empty(); }
  const std::vector<AddedToken>& tokens() const { return tokens_; }
  // The added token with this id, if any.
  const AddedToken* by_id(int32_t id) const;

 private:
  std::vector<AddedToken> tokens_;  // longest first, so the first hit at a position is the longest
  bool first_byte_[256] = {};
};

}  // namespace finsent::text
