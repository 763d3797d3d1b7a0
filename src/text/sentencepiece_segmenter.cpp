// Precompiled -> Metaspace -> Unigram over one segment, offsets mapped back to the original.
#include "sentencepiece_segmenter.hpp"

#include <cstdint>
#include <utility>

#include "finsent/core/error.hpp"

#include "utf8_decode.hpp"

namespace finsent::text {

SentencePieceSegmenter::SentencePieceSegmenter(std::optional<PrecompiledCharsmap> charsmap,
                                               Metaspace metaspace, UnigramModel model)
    : charsmap_(std::move(charsmap)), metaspace_(metaspace), model_(std::move(model)) {}

void SentencePieceSegmenter::encode(std::string_view text, size_t begin, size_t end,
                                    bool at_text_start, std::vector<SegmentToken>& out) const {
  thread_local std::vector<NormChar> chars, scratch;
  thread_local std::vector<std::pair<size_t, size_t>> words;
  thread_local std::vector<UnigramToken> pieces;
  thread_local std::vector<uint32_t> char_of_byte;
  thread_local std::string word;
  if (end > UINT32_MAX) throw InputError("text too long to tokenize (4 GiB or more)");
  chars.clear();
  for (size_t i = begin; i < end;) {
    char32_t cp;
    const size_t n = decode_utf8(text.substr(0, end), i, cp);
    chars.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)});
    i += n;
  }
  if (charsmap_) charsmap_->normalize(chars, scratch);
  metaspace_.pre_tokenize(chars, at_text_start, words);
  for (const auto& [wb, we] : words) {
    word.clear();
    char_of_byte.clear();
    for (size_t c = wb; c < we; ++c) {
      append_utf8(word, chars[c].cp);
      char_of_byte.resize(word.size(), static_cast<uint32_t>(c));
    }
    model_.tokenize(word, pieces);
    for (const UnigramToken& p : pieces) {
      const NormChar& first = chars[char_of_byte[p.begin]];
      const NormChar& last = chars[char_of_byte[p.end - 1]];
      out.push_back({p.id,
                     p.byte ? model_.id_to_token(p.id) : word.substr(p.begin, p.end - p.begin),
                     first.begin, last.end});
    }
  }
}

std::string SentencePieceSegmenter::decode(const std::vector<int32_t>& ids) const {
  std::vector<std::string_view> strings;
  strings.reserve(ids.size());
  for (const int32_t id : ids) {
    if (id >= 0 && static_cast<size_t>(id) < model_.vocab_size()) {
      strings.push_back(model_.id_to_token(id));
    }
  }
  return metaspace_.decode(strings);
}

}  // namespace finsent::text
