// Leftmost-longest search for added tokens: a first-byte filter, then the candidates longest first.
#include "added_tokens.hpp"

#include <algorithm>

namespace finsent::text {

void AddedTokenMatcher::add(AddedToken token) {
  if (token.content.empty()) return;  // the reference never matches an empty token
  for (auto& t : tokens_) {
    if (t.content == token.content) {
      t = std::move(token);
      return;
    }
  }
  first_byte_[static_cast<unsigned char>(token.content[0])] = true;
  tokens_.push_back(std::move(token));
  std::stable_sort(tokens_.begin(), tokens_.end(), [](const AddedToken& a, const AddedToken& b) {
    return a.content.size() > b.content.size();
  });
}

AddedTokenMatcher::Match AddedTokenMatcher::find(std::string_view text, size_t from) const {
  if (!tokens_.empty()) {
    for (size_t i = from; i < text.size(); ++i) {
      if (!first_byte_[static_cast<unsigned char>(text[i])]) continue;
      const std::string_view rest = text.substr(i);
      for (const auto& t : tokens_) {
        if (rest.substr(0, t.content.size()) == t.content) {
          return Match{i, i + t.content.size(), t.id};
        }
      }
    }
  }
  return Match{std::string_view::npos, std::string_view::npos, -1};
}

const AddedToken* AddedTokenMatcher::by_id(int32_t id) const {
  for (const auto& t : tokens_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

}  // namespace finsent::text
