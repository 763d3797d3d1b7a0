// SentencePiece's compiled normalization charsmap (the "Precompiled" normalizer of Hugging Face
// tokenizers), as XLM-R, ALBERT and DeBERTa-v3 carry it in tokenizer.json or spm.model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bert_normalizer.hpp"  // NormChar

namespace finsent::text {

// The blob is: a little-endian u32 trie size in bytes, a darts-clone double-array trie of that
// many bytes (u32 units) whose leaf values are offsets into the rest, the NUL-separated replacement
// strings. Mirrors the spm_precompiled crate and tokenizers::normalizers::Precompiled.
class PrecompiledCharsmap {
 public:
  // Throws TokenizerError when the blob is shorter than its header, the trie size is not a
  // multiple of 4 or exceeds the blob. An empty blob is the identity normalizer.
  explicit PrecompiledCharsmap(std::string blob);
  // From tokenizer.json's "precompiled_charsmap" (standard base64, padded). Throws TokenizerError
  // when the text is not base64 or the blob is malformed as above.
  static PrecompiledCharsmap from_base64(std::string_view text);

  // (character, change) pairs as tokenizers' NormalizedString::transform takes them: 0 replaces
  // one character, 1 inserts one, -k replaces one and removes the k after it.
  using Change = std::pair<char32_t, int64_t>;
  // The transformation the reference's Precompiled::normalize applies to `chars`: each extended
  // grapheme cluster shorter than 6 bytes with a match is replaced whole, otherwise each character
  // on its own (tokenizers' `replace` helper assigns the changes). Returns false (and leaves
  // `out` meaningless) when nothing matched, where the reference leaves the string untouched.
  bool transformations(const std::vector<char32_t>& chars, std::vector<Change>& out) const;

  // The replacement of the shortest key that is a prefix of `chunk` (the reference takes the
  // first common-prefix hit), or nullopt when no key is a prefix. Trie positions outside the
  // array and leaf offsets outside the blob are read as "no match".
  std::optional<std::string_view> transform(std::string_view chunk) const;

  // Normalizes `chars` in place with the reference's alignment rules: each extended grapheme
  // cluster shorter than 6 bytes with a match is replaced whole, otherwise each character on its
  // own; a replacement character takes the range of the character it replaces, extra characters
  // the range of the one before, and a shorter replacement drops the alignment of the characters
  // it removes (NormalizedString::transform). `scratch` is reusable working memory.
  void normalize(std::vector<NormChar>& chars, std::vector<NormChar>& scratch) const;

  bool empty() const { return trie_.empty(); }
  // The blob as given (for saving a tokenizer.json back).
  const std::string& blob() const { return blob_; }

 private:
  std::string blob_;
  std::vector<uint32_t> trie_;
  std::string_view normalized_;
};

}  // namespace finsent::text
