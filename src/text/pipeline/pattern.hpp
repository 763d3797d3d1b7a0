// Patterns that split or replace text: a literal string, an Oniguruma regex, a character class
// (tokenizers' Pattern trait).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::text {

// A piece of the searched text: a match or the text between matches.
struct PatternMatch {
  size_t begin, end;
  bool is_match;
};

class Pattern {
 public:
  virtual ~Pattern() = default;
  // Covers all of `text` in order with matches and non-matches (tokenizers' find_matches): an
  // empty text gives one empty non-match.
  virtual std::vector<PatternMatch> find_matches(std::string_view text) const = 0;
};

// A literal string (an empty one never matches).
class StringPattern final : public Pattern {
 public:
  explicit StringPattern(std::string s) : s_(std::move(s)) {}
  std::vector<PatternMatch> find_matches(std::string_view text) const override;

 private:
  std::string s_;
};

// An Oniguruma regular expression (UTF-8, the library's default syntax, as the onig crate under
// tokenizers' SysRegex compiles it). Throws TokenizerError naming the pattern when it does not
// compile.
class RegexPattern final : public Pattern {
 public:
  explicit RegexPattern(const std::string& pattern);
  ~RegexPattern() override;
  RegexPattern(const RegexPattern&) = delete;
  RegexPattern& operator=(const RegexPattern&) = delete;
  std::vector<PatternMatch> find_matches(std::string_view text) const override;
  // Every match [begin, end) in `text` (an empty match advances by one character).
  void find_iter(std::string_view text, std::vector<std::pair<size_t, size_t>>& out) const;

 private:
  void* regex_;  // OnigRegex
};

// Each character for which pred(c) is true is a match of its own (tokenizers' Fn(char) -> bool).
class CharPattern final : public Pattern {
 public:
  explicit CharPattern(bool (*pred)(char32_t)) : pred_(pred) {}
  std::vector<PatternMatch> find_matches(std::string_view text) const override;

 private:
  bool (*pred_)(char32_t);
};

// Another pattern with matches and non-matches swapped (tokenizers' Invert).
class InvertPattern final : public Pattern {
 public:
  explicit InvertPattern(std::unique_ptr<Pattern> inner) : inner_(std::move(inner)) {}
  std::vector<PatternMatch> find_matches(std::string_view text) const override {
    std::vector<PatternMatch> out = inner_->find_matches(text);
    for (auto& m : out) m.is_match = !m.is_match;
    return out;
  }

 private:
  std::unique_ptr<Pattern> inner_;
};

}  // namespace finsent::text
