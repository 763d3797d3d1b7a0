// Internal state of WordPieceTokenizer shared by its encode, decode and load/save translation
// units.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "added_tokens.hpp"
#include "bert_normalizer.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"
#include "post_process.hpp"
#include "vocab.hpp"

namespace finsent::text {

// Names of the special tokens (tokenizer_config.json names).
struct SpecialTokens {
  std::string unk = "[UNK]", sep = "[SEP]", pad = "[PAD]", cls = "[CLS]", mask = "[MASK]";
};

class WordPieceTokenizerImpl final : public TokenStrings {
 public:
  WordPieceTokenizerImpl(Vocab vocab, const NormalizerOptions& normalizer, SpecialTokens specials,
                         size_t max_input_chars_per_word, std::vector<AddedToken> added);

  // Added-token split, BertNormalizer, BertPreTokenizer and WordPiece over `text`; appends tokens.
  void tokenize(std::string_view text, std::vector<RawToken>& out) const;
  // Token string of `id` (added tokens first, as the reference), or nullptr when unknown/shadowed.
  const std::string* token_of(int32_t id) const;
  bool is_special(int32_t id) const;
  const std::string* value_of(const RawToken& token) const override { return token_of(token.id); }

  Vocab vocab;
  BertNormalizer normalizer;
  SpecialTokens specials;
  size_t max_input_chars_per_word;
  AddedTokenMatcher added;
  int32_t unk_id, cls_id, sep_id, pad_id;
  SpecialTokenIds special_ids;  // the ids above, and [MASK]'s when the vocabulary has it
  size_t id_limit;              // one past the largest id (vocabulary or added token)
  std::string decoder_prefix = "##";
  bool decoder_cleanup = true;
  std::optional<size_t> model_max_length;
  EncodeSettings encode_settings;  // tokenizer.json's truncation / padding, the config's sides

 private:
  void tokenize_segment(std::string_view text, uint32_t begin, uint32_t end,
                        std::vector<RawToken>& out) const;
};

}  // namespace finsent::text
