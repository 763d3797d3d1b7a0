// Metaspace: "▁" for spaces, the prepended word marker, MergedWithNext splitting, and decoding.
#include "metaspace.hpp"

#include "finsent/core/error.hpp"
#include "utf8_decode.hpp"

namespace finsent::text {

PrependScheme parse_prepend_scheme(std::string_view name) {
  if (name == "always") return PrependScheme::Always;
  if (name == "first") return PrependScheme::First;
  if (name == "never") return PrependScheme::Never;
  throw TokenizerError("Metaspace: unknown prepend_scheme \"" + std::string(name) +
                       "\" (expected always, first or never)");
}

void Metaspace::pre_tokenize(std::vector<NormChar>& chars, bool at_text_start,
                             std::vector<std::pair<size_t, size_t>>& words) const {
  words.clear();
  for (NormChar& c : chars) {
    if (c.cp == U' ') c.cp = replacement;
  }
  const bool prepend = prepend_scheme == PrependScheme::Always ||
                       (prepend_scheme == PrependScheme::First && at_text_start);
  if (prepend && !chars.empty() && chars.front().cp != replacement) {
    chars.insert(chars.begin(), NormChar{replacement, chars.front().begin, chars.front().end});
  }
  if (chars.empty()) return;
  if (!split) {
    words.emplace_back(0, chars.size());
    return;
  }
  bool previous_match = false;
  for (size_t i = 0; i < chars.size(); ++i) {
    const bool match = chars[i].cp == replacement;
    if ((match && !previous_match) || words.empty()) {
      words.emplace_back(i, i + 1);
    } else {
      words.back().second = i + 1;
    }
    previous_match = match;
  }
}

std::string Metaspace::decode_token(std::string_view token, bool first) const {
  std::string out;
  for (size_t i = 0; i < token.size();) {
    char32_t cp;
    const size_t n = decode_utf8(token, i, cp);
    if (cp != replacement) {
      out.append(token.substr(i, n));
    } else if (!first || prepend_scheme == PrependScheme::Never) {
      out.push_back(' ');
    }
    i += n;
  }
  return out;
}

std::string Metaspace::decode(const std::vector<std::string_view>& tokens) const {
  std::string out;
  for (size_t t = 0; t < tokens.size(); ++t) out += decode_token(tokens[t], t == 0);
  return out;
}

}  // namespace finsent::text
