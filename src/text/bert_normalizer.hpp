// BertNormalizer (Hugging Face tokenizers, Rust) with per-character alignment to the original
// bytes.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "finsent/text/wordpiece_tokenizer.hpp"

namespace finsent::text {

// One normalized character and the original byte range [begin, end) it stands for.
struct NormChar {
  char32_t cp;
  uint32_t begin, end;
};

// Rust char::is_whitespace (the Unicode White_Space property).
bool is_unicode_whitespace(char32_t cp);
// The pre-tokenizer's punctuation: ASCII punctuation or any Unicode P* category.
bool is_bert_punctuation(char32_t cp);
// BertNormalizer's clean_text classes: a control character it drops (Cc/Cf/Co/Cs except \t \n
// \r), and a whitespace it turns into a space.
bool is_control(char32_t cp);
bool is_whitespace_for_clean(char32_t cp);
// The CJK ideograph blocks the reference surrounds with spaces.
bool is_chinese_char(char32_t cp);

// Mirrors tokenizers::normalizers::BertNormalizer: clean_text, handle_chinese_chars,
// strip_accents (defaults to lowercase when unset), lowercase, in that order.
class BertNormalizer {
 public:
  explicit BertNormalizer(const NormalizerOptions& options);

  // Normalizes text[begin, end) (absolute offsets). `out` receives the normalized characters with
  // alignments as the reference's NormalizedString keeps them: a kept or replaced character keeps
  // its own range, a character that a step inserts (CJK spaces, extra NFD or lowercase characters)
  // takes the range of the character before it. `scratch` is reusable working memory.
  void normalize(std::string_view text, uint32_t begin, uint32_t end, std::vector<NormChar>& out,
                 std::vector<NormChar>& scratch) const;

  const NormalizerOptions& options() const { return options_; }

 private:
  void strip_accents(std::vector<NormChar>& chars, std::vector<NormChar>& scratch,
                     uint32_t segment_begin) const;
  void lowercase(std::vector<NormChar>& chars, std::vector<NormChar>& scratch) const;

  NormalizerOptions options_;
  bool strip_accents_;
};

}  // namespace finsent::text
