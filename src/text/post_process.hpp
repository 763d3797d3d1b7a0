// Truncation, special-token layout and padding shared by every Tokenizer implementation, as
// tokenizers' TokenizerImpl::post_process (truncate, then the post-processor, then pad).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "finsent/text/encoding.hpp"

namespace finsent::text {

// A token before post-processing: id and byte range in the original text of its sequence.
// `value` >= 0 indexes the encoder's table of token strings that differ from the vocabulary's
// (an added token matched with the spaces lstrip/rstrip took); -1 means the vocabulary string.
struct RawToken {
  int32_t id;
  uint32_t begin, end;
  int32_t value = -1;
};

// Shortens `a` (and `b` for a pair) so that together they hold at most `max` tokens, as
// tokenizers' truncate_encodings with a max_length already reduced by the special tokens.
// Throws InputError for OnlyFirst/OnlySecond when the chosen text cannot lose enough tokens, or
// OnlySecond without a pair.
void truncate(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Truncation strategy,
              Side side);

// One slot of a post-processor's layout: a special token, or the tokens of sequence A or B.
struct LayoutPiece {
  enum Kind : uint8_t { Special, SequenceA, SequenceB } kind;
  int32_t id;       // Special only
  uint8_t type_id;  // type id of the slot's tokens
};

// Appends one token to every field of `e`.
void append_token(Encoding& e, int64_t id, const std::string& token, int64_t type_id, size_t begin,
                  size_t end, bool special);

// The length `e` must be padded to under `options` (Padding::MaxLength: max_length; otherwise
// `longest`), rounded up to pad_to_multiple_of; returns e.size() when no padding applies.
size_t padded_length(const EncodeOptions& options, size_t size, size_t longest);
// Pads `e` to `length` with the pad token on options.padding_side (type id 0, mask 0, offsets
// (0, 0), special mask 1).
void pad(Encoding& e, size_t length, int64_t pad_id, const std::string& pad_token, Side side);

// Throws InputError when Padding::MaxLength has no max_length.
void check_options(const EncodeOptions& options);

}  // namespace finsent::text
