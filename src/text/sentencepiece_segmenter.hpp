// The SentencePiece path of a tokenizer.json pipeline for one text segment: the Precompiled
// normalizer, the Metaspace pre-tokenizer and the Unigram model, with original byte offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metaspace.hpp"
#include "precompiled_charsmap.hpp"
#include "unigram_model.hpp"

namespace finsent::text {

// One token: id, its string as the reference reports it (the piece; an unknown run's own text; a
// byte-fallback "<0xXX>"), and its original byte range [begin, end).
struct SegmentToken {
  int32_t id;
  std::string token;
  size_t begin, end;
};

// Mirrors tokenizers' Tokenizer with normalizer Precompiled (optional), pre-tokenizer Metaspace
// and model Unigram, on a segment without added tokens: offsets follow the reference's alignment
// rules (see PrecompiledCharsmap::normalize and Metaspace::pre_tokenize). Immutable and
// thread-safe.
class SentencePieceSegmenter {
 public:
  SentencePieceSegmenter(std::optional<PrecompiledCharsmap> charsmap, Metaspace metaspace,
                         UnigramModel model);

  // Appends the tokens of text[begin, end) (offsets absolute in `text`); invalid UTF-8 is read as
  // U+FFFD per maximal invalid subsequence. `at_text_start` tells Metaspace's "first" scheme that
  // the segment starts the original text. Throws TokenizerError when the model has no unk_id and
  // needs one, InputError when `end` is 4 GiB or more.
  void encode(std::string_view text, size_t begin, size_t end, bool at_text_start,
              std::vector<SegmentToken>& out) const;

  // The Metaspace decoder over the vocabulary strings of `ids` (unknown ids skipped).
  std::string decode(const std::vector<int32_t>& ids) const;

  const UnigramModel& model() const { return model_; }

 private:
  std::optional<PrecompiledCharsmap> charsmap_;
  Metaspace metaspace_;
  UnigramModel model_;
};

}  // namespace finsent::text
