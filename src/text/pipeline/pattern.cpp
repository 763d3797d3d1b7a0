// Pattern implementations: literal strings, Oniguruma regexes (as the onig crate tokenizers uses),
// character classes.
#include "pattern.hpp"

#include <oniguruma.h>

#include <mutex>
#include <optional>

#include "../utf8_decode.hpp"
#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

// Turns an ordered list of match ranges into the covering list of matches and gaps
// (tokenizers' find_matches for regexes).
std::vector<PatternMatch> cover(std::string_view text,
                                const std::vector<std::pair<size_t, size_t>>& found) {
  if (text.empty()) return {{0, 0, false}};
  std::vector<PatternMatch> out;
  size_t prev = 0;
  for (const auto& [b, e] : found) {
    if (prev != b) out.push_back({prev, b, false});
    out.push_back({b, e, true});
    prev = e;
  }
  if (prev != text.size()) out.push_back({prev, text.size(), false});
  return out;
}

void init_oniguruma() {
  static std::once_flag once;
  std::call_once(once, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
}

}  // namespace

std::vector<PatternMatch> StringPattern::find_matches(std::string_view text) const {
  if (s_.empty()) return {{0, text.size(), false}};
  std::vector<std::pair<size_t, size_t>> found;
  for (size_t pos = text.find(s_); pos != std::string_view::npos; pos = text.find(s_, pos)) {
    found.emplace_back(pos, pos + s_.size());
    pos += s_.size();
  }
  return cover(text, found);
}

RegexPattern::RegexPattern(const std::string& pattern) : regex_(nullptr) {
  init_oniguruma();
  OnigRegex regex = nullptr;
  OnigErrorInfo info;
  const auto* p = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int rc = onig_new(&regex, p, p + pattern.size(), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8,
                          ONIG_SYNTAX_DEFAULT, &info);
  if (rc != ONIG_NORMAL) {
    OnigUChar message[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(message, rc, &info);
    throw TokenizerError("invalid regex " + pattern + ": " +
                         reinterpret_cast<const char*>(message));
  }
  regex_ = regex;
}

RegexPattern::~RegexPattern() {
  if (regex_) onig_free(static_cast<OnigRegex>(regex_));
}

void RegexPattern::find_iter(std::string_view text,
                             std::vector<std::pair<size_t, size_t>>& out) const {
  const auto* str = reinterpret_cast<const OnigUChar*>(text.data());
  const OnigUChar* end = str + text.size();
  OnigRegion* region = onig_region_new();
  size_t last_end = 0;
  std::optional<size_t> last_match_end;
  while (last_end <= text.size()) {
    onig_region_clear(region);
    const int at = onig_search(static_cast<OnigRegex>(regex_), str, end, str + last_end, end,
                               region, ONIG_OPTION_NONE);
    if (at < 0) break;
    const auto s = static_cast<size_t>(region->beg[0]);
    const auto e = static_cast<size_t>(region->end[0]);
    // As the onig crate's FindMatches: an empty match right after the previous match is skipped
    // by one character, so the search always advances.
    if (e == s && last_match_end == e) {
      if (last_end >= text.size()) break;
      char32_t c;
      last_end += decode_utf8(text, last_end, c);
      continue;
    }
    last_end = e;
    last_match_end = e;
    out.emplace_back(s, e);
  }
  onig_region_free(region, 1);
}

std::vector<PatternMatch> RegexPattern::find_matches(std::string_view text) const {
  if (text.empty()) return {{0, 0, false}};
  std::vector<std::pair<size_t, size_t>> found;
  find_iter(text, found);
  return cover(text, found);
}

std::vector<PatternMatch> CharPattern::find_matches(std::string_view text) const {
  if (text.empty()) return {{0, 0, false}};
  std::vector<PatternMatch> out;
  size_t gap = 0;
  for (size_t i = 0; i < text.size();) {
    char32_t c;
    const size_t n = decode_utf8(text, i, c);
    if (pred_(c)) {
      if (gap != i) out.push_back({gap, i, false});
      out.push_back({i, i + n, true});
      gap = i + n;
    }
    i += n;
  }
  if (gap != text.size()) out.push_back({gap, text.size(), false});
  return out;
}

}  // namespace finsent::text
