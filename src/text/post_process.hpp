// Truncation, special-token layout and padding shared by every Tokenizer implementation, as
// tokenizers' TokenizerImpl::post_process (truncate, then the post-processor, then pad).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
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

// The windows truncation cut off one text, in the reference's order.
using Windows = std::vector<std::vector<RawToken>>;

// The string of a token as the reference's Encoding holds it: the matched text for added tokens
// (with the spaces lstrip/rstrip took), else the vocabulary string of its id; nullptr if none.
class TokenStrings {
 public:
  virtual ~TokenStrings() = default;
  virtual const std::string* value_of(const RawToken& token) const = 0;
};

// Shortens `a` (and `b` for a pair) so that together they hold at most `max` tokens, as
// tokenizers' truncate_encodings with a max_length already reduced by the special tokens; each
// text is cut as Encoding::truncate: the kept window stays in place and, when `overflow_a` /
// `overflow_b` is given, the windows cut off (each repeating `stride` tokens of its neighbour)
// are appended to it. Throws InputError for OnlyFirst/OnlySecond when the chosen text cannot lose
// enough tokens, OnlySecond without a pair, or a text cut to a length not above `stride`.
void truncate(std::vector<RawToken>& a, std::vector<RawToken>* b, size_t max, Truncation strategy,
              Side side, size_t stride = 0, Windows* overflow_a = nullptr,
              Windows* overflow_b = nullptr);

// One slot of a post-processor's layout: a special token, or the tokens of sequence A or B.
struct LayoutPiece {
  enum Kind : uint8_t { Special, SequenceA, SequenceB } kind;
  int32_t id;       // Special only
  uint8_t type_id;  // type id of the slot's tokens
};

// What a tokenizer's post-processor does to one encode.
struct PostProcessing {
  std::vector<LayoutPiece> layout;  // for the single text or the pair
  size_t added = 0;                 // special tokens in `layout`
  // BertProcessing / RobertaProcessing give the overflowing windows the layout's type ids;
  // TemplateProcessing leaves them at the sequence's (0 for A, 1 for B), and so does every
  // processor when special tokens are not added.
  bool overflow_type_ids_from_layout = true;
  std::function<void(std::vector<RawToken>&)> process_offsets;  // per window; may be empty
};

// tokenizers' TokenizerImpl::post_process over pre-tokenized texts: truncation by
// options.max_length less the special tokens (none when that cannot even hold them, as
// Transformers), offsets, the layout (Encoding::overflowing nested as Encoding::merge_with does
// when options.return_overflowing), then padding with `pad_token` (unused without padding).
// Throws as truncate() and check_options().
Encoding post_process(std::vector<RawToken>& a, std::vector<RawToken>* b,
                      const EncodeOptions& options, const PostProcessing& processing,
                      const TokenStrings& strings,
                      const std::pair<int64_t, std::string>& pad_token);

// Appends one token to every field of `e`.
void append_token(Encoding& e, int64_t id, const std::string& token, int64_t type_id, size_t begin,
                  size_t end, bool special);

// The length `e` must be padded to under `options` (Padding::MaxLength: padding_length, else
// max_length; otherwise `longest`), rounded up to pad_to_multiple_of; returns `size` when no
// padding applies.
size_t padded_length(const EncodeOptions& options, size_t size, size_t longest);
// Pads `e` and its overflowing windows to `length` with `pad_token` (id, string) on `side`
// (type id `pad_type_id`, mask 0, offsets (0, 0), special mask 1), as Encoding::pad.
void pad(Encoding& e, size_t length, const std::pair<int64_t, std::string>& pad_token,
         int64_t pad_type_id, Side side);

// Throws InputError when Padding::MaxLength has neither padding_length nor max_length.
void check_options(const EncodeOptions& options);

}  // namespace finsent::text
