// BERT WordPiece tokenizer with the behaviour of Hugging Face `tokenizers` (Rust) for BERT models.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finsent/text/tokenizer.hpp"

namespace finsent::text {

// BertNormalizer settings (tokenizer.json names). strip_accents unset means "same as lowercase".
struct NormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  std::optional<bool> strip_accents;
  bool lowercase = true;
};

class WordPieceTokenizerImpl;

// The first text::Tokenizer, and the fast path for BERT-style tokenizers: one fused loop instead
// of the generic pipeline. Immutable after load(); copies share the vocabulary. Mirrors
// tokenizers.Tokenizer built as BertTokenizerFast builds it (BertNormalizer, BertPreTokenizer,
// WordPiece model, BERT post-processor, WordPiece decoder). Code outside text/ uses it only through
// text::Tokenizer (load_tokenizer).
class WordPieceTokenizer final : public Tokenizer {
 public:
  // `path` is a model directory (tokenizer.json, else vocab.txt + optional tokenizer_config.json
  // whose do_lower_case / strip_accents / tokenize_chinese_chars are honoured), a vocab.txt, or a
  // tokenizer.json. Throws TokenizerError (missing [UNK], bad JSON, unsupported model) or IoError.
  static WordPieceTokenizer load(const std::filesystem::path& path);
  // Builds from vocabulary lines (index = id), e.g. for tests. Throws TokenizerError.
  static WordPieceTokenizer from_vocab(const std::vector<std::string>& vocab,
                                       const NormalizerOptions& normalizer = {});

  // Encodes one text. Invalid UTF-8 is read as U+FFFD per maximal invalid subsequence (like
  // Python's bytes.decode(errors="replace")); the normalizer then drops it. A max_length smaller
  // than the special tokens truncates nothing (as the reference). Throws InputError when
  // Padding::MaxLength has no max_length, or the text is 4 GiB or longer.
  Encoding encode(std::string_view text, const EncodeOptions& options = {}) const override;
  // Encodes a pair as [CLS] A [SEP] B [SEP], type ids 0 for A's part and 1 for B's part.
  Encoding encode_pair(std::string_view a, std::string_view b,
                       const EncodeOptions& options = {}) const override;
  // Number of WordPiece tokens of `text` without specials, truncation or padding (fast path for
  // length statistics; no strings are built).
  size_t count_tokens(std::string_view text) const override;
  size_t num_special_tokens_to_add(bool pair) const override { return pair ? 3 : 2; }

  // Ids to text as the reference decodes: specials dropped when asked, "##" pieces joined, other
  // tokens separated by spaces, spaces before . ? ! , removed. Unknown ids are skipped.
  std::string decode(const std::vector<int64_t>& ids,
                     bool skip_special_tokens = true) const override;

  // Vocabulary id of `token`, if present.
  std::optional<int64_t> token_to_id(std::string_view token) const override;
  // Vocabulary string of `id`; throws InputError when out of range.
  const std::string& id_to_token(int64_t id) const override;

  int64_t cls_id() const;
  int64_t sep_id() const;
  int64_t unk_id() const;
  size_t vocab_size() const override;
  const SpecialTokenIds& special_ids() const override;
  std::optional<size_t> model_max_length() const override;
  const EncodeSettings& encode_settings() const override;
  const NormalizerOptions& normalizer_options() const;

  // Writes vocab.txt, tokenizer_config.json and special_tokens_map.json into `dir` (created when
  // missing), loadable by Hugging Face AutoTokenizer. Throws IoError.
  std::vector<std::pair<std::string, std::string>> files() const override;

 private:
  explicit WordPieceTokenizer(std::shared_ptr<const WordPieceTokenizerImpl> impl);
  Encoding encode_impl(std::string_view a, const std::string_view* b,
                       const EncodeOptions& options) const;
  std::shared_ptr<const WordPieceTokenizerImpl> impl_;
};

}  // namespace finsent::text
