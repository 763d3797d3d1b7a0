// The Metaspace pre-tokenizer and decoder (SentencePiece's "▁" word marker), as Hugging Face
// tokenizers implements them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bert_normalizer.hpp"  // NormChar

namespace finsent::text {

// tokenizer.json's "prepend_scheme": always (every segment), first (only a segment that starts at
// the original text's first byte), never.
enum class PrependScheme { Always, First, Never };

// Parses "always" / "first" / "never"; throws TokenizerError naming the value otherwise.
PrependScheme parse_prepend_scheme(std::string_view name);

struct Metaspace {
  char32_t replacement = U'\u2581';
  PrependScheme prepend_scheme = PrependScheme::Always;
  bool split = true;

  // Mirrors tokenizers::pre_tokenizers::metaspace::Metaspace::pre_tokenize on one normalized
  // segment: every U+0020 becomes `replacement` (keeping the space's range); the replacement is
  // prepended (with the first character's range) unless the segment is empty or already starts
  // with it, or the scheme says otherwise (`at_text_start`: the segment begins at original offset
  // 0). With `split`, `words` receives [begin, end) character ranges, each run of replacements
  // starting a new word (SplitDelimiterBehavior::MergedWithNext); else one word. Empty words are
  // never produced.
  void pre_tokenize(std::vector<NormChar>& chars, bool at_text_start,
                    std::vector<std::pair<size_t, size_t>>& words) const;

  // Mirrors the Metaspace decoder's decode_chain on one token: in the first token every
  // replacement is dropped (unless the scheme is never), elsewhere it becomes a space.
  std::string decode_token(std::string_view token, bool first) const;
  // decode_token over every token, concatenated (what the reference's decode returns).
  std::string decode(const std::vector<std::string_view>& tokens) const;
};

}  // namespace finsent::text
