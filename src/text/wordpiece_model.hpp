// The WordPiece model: greedy longest-match-first splitting of one pre-tokenized word.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vocab.hpp"

namespace finsent::text {

// A piece of a word: vocabulary id and byte range [begin, end) inside the normalized word.
struct WordPiece {
  int32_t id;
  uint32_t begin, end;
};

// Mirrors tokenizers::models::wordpiece::WordPiece::tokenize: a word of more than
// max_input_chars_per_word characters, or one that cannot be covered by vocabulary pieces, becomes
// a single unk_id piece spanning the whole word. `word` is valid UTF-8. Appends to `out`.
void wordpiece_split(std::string_view word, const Vocab& vocab, int32_t unk_id,
                     size_t max_input_chars_per_word, std::vector<WordPiece>& out);

}  // namespace finsent::text
