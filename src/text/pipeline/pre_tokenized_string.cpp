// PreTokenizedString::split / normalize, as tokenizers/src/tokenizer/pre_tokenizer.rs.
#include "pre_tokenized_string.hpp"

namespace finsent::text {

void PreTokenizedString::split(
    const std::function<std::vector<NormalizedString>(size_t, NormalizedString&&)>& f) {
  std::vector<Split> next;
  next.reserve(splits_.size());
  for (size_t i = 0; i < splits_.size(); ++i) {
    Split& s = splits_[i];
    if (s.tokens) {
      next.push_back(std::move(s));
      continue;
    }
    for (NormalizedString& piece : f(i, std::move(s.normalized))) {
      if (!piece.empty()) next.push_back({std::move(piece), std::nullopt});
    }
  }
  splits_ = std::move(next);
}

void PreTokenizedString::normalize(const std::function<void(NormalizedString&)>& f) {
  for (Split& s : splits_) {
    if (!s.tokens) f(s.normalized);
  }
}

}  // namespace finsent::text
