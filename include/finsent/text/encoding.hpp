// Encoding (the output of a tokenizer) and the options that shape it, as Hugging Face `tokenizers`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace finsent::text {

// One encoded sequence (or pair). All vectors have the same length (the sequence length).
// Mirrors tokenizers.Encoding.
struct Encoding {
  std::vector<int64_t> ids;       // token ids, [seq]
  std::vector<int64_t> type_ids;  // 0 for the first text and its specials, 1 for the pair's, [seq]
  std::vector<int64_t> attention_mask;       // 1 for real tokens, 0 for padding, [seq]
  std::vector<int64_t> special_tokens_mask;  // 1 for tokens added by post-processing or padding
  std::vector<std::string> tokens;           // vocabulary strings of `ids`, [seq]
  // Byte offsets [begin, end) into the original UTF-8 text the token came from (the pair's text
  // for type_id 1); (0, 0) for special and padding tokens. Hugging Face's Python binding reports
  // character offsets instead; the two agree on ASCII text.
  std::vector<std::pair<size_t, size_t>> offsets;
  // The windows truncation cut off, each post-processed and padded as this one (tokenizers'
  // Encoding.overflowing, nested the same way for pairs); filled only when
  // EncodeOptions::return_overflowing.
  std::vector<Encoding> overflowing;

  size_t size() const { return ids.size(); }
};

enum class Padding { None, Longest, MaxLength };

// TruncationStrategy of tokenizers; None keeps every token (the caller checks the length).
//  - LongestFirst: cut the longer text of a pair first (the reference's default);
//  - OnlyFirst / OnlySecond: cut only that text; when it is too short to reach max_length the
//    encode throws InputError, as the reference raises "Truncation error: ...".
enum class Truncation { LongestFirst, OnlyFirst, OnlySecond, None };

enum class Side { Right, Left };

struct EncodeOptions {
  bool add_special_tokens = true;  // the post-processor's specials ([CLS] A [SEP], <s> A </s> ...)
  std::optional<size_t> max_length;  // total length limit including special tokens
  Padding padding = Padding::None;   // MaxLength needs max_length; Longest pads within a batch
  Truncation truncation = Truncation::LongestFirst;
  Side truncation_side = Side::Right;  // which end of a text loses tokens
  Side padding_side = Side::Right;     // where padding goes
  // Pads the length up to a multiple of this (0 = off), as tokenizers' pad_to_multiple_of.
  size_t pad_to_multiple_of = 0;
  // Tokens each overflowing window repeats from the one before (tokenizers' stride); must be
  // smaller than the length each truncated text is cut to, else encode throws InputError.
  size_t stride = 0;
  bool return_overflowing = false;  // fill Encoding::overflowing
  // Padding::MaxLength pads to this when set, else to max_length (tokenizers' Fixed(n) padding,
  // whose length is independent of truncation's).
  std::optional<size_t> padding_length;
  // The padding token (id and string); unset: the tokenizer's pad token (Tokenizer::pad_id()).
  std::optional<std::pair<int64_t, std::string>> pad_token;
  int64_t pad_type_id = 0;  // type id of padding tokens
};

// tokenizer.json's "truncation" section (tokenizers' TruncationParams).
struct TruncationParams {
  size_t max_length = 512;
  Truncation strategy = Truncation::LongestFirst;
  Side direction = Side::Right;
  size_t stride = 0;
};

// tokenizer.json's "padding" section (tokenizers' PaddingParams).
struct PaddingParams {
  std::optional<size_t> fixed_length;  // strategy {"Fixed": n}; unset: "BatchLongest"
  Side direction = Side::Right;
  size_t pad_to_multiple_of = 0;  // null in the file: 0
  int64_t pad_id = 0;
  int64_t pad_type_id = 0;
  std::string pad_token = "[PAD]";
};

// What a tokenizer's files say about encoding beyond the pipeline itself.
struct EncodeSettings {
  std::optional<TruncationParams> truncation;  // tokenizer.json's section, when not null
  std::optional<PaddingParams> padding;        // tokenizer.json's section, when not null
  // Transformers' truncation_side / padding_side: tokenizer_config.json's, else the section's
  // direction, else right.
  Side truncation_side = Side::Right;
  Side padding_side = Side::Right;
};

}  // namespace finsent::text
