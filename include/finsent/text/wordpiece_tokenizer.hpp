// BERT WordPiece tokenizer with the behaviour of Hugging Face `tokenizers` (Rust) for BERT models.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace finsent::text {

// One encoded sequence (or pair). All vectors have the same length (the sequence length).
struct Encoding {
  std::vector<int64_t> ids;       // token ids, [seq]
  std::vector<int64_t> type_ids;  // 0 for the first text and its specials, 1 for the pair's, [seq]
  std::vector<int64_t> attention_mask;  // 1 for real tokens, 0 for padding, [seq]
  std::vector<std::string> tokens;      // vocabulary strings of `ids`, [seq]
  // Byte offsets [begin, end) into the original UTF-8 text the token came from (the pair's text
  // for type_id 1); (0, 0) for special and padding tokens. Hugging Face's Python binding reports
  // character offsets instead; the two agree on ASCII text.
  std::vector<std::pair<size_t, size_t>> offsets;
};

enum class Padding { None, Longest, MaxLength };
enum class Truncation { LongestFirst, None };

struct EncodeOptions {
  bool add_special_tokens = true;    // [CLS] A [SEP] (B [SEP])
  std::optional<size_t> max_length;  // total length limit including special tokens
  Padding padding = Padding::None;   // MaxLength needs max_length; Longest pads within a batch
  // With max_length: LongestFirst cuts the longer text of a pair first (the reference's default);
  // None keeps every token (the caller checks ids.size() against max_length).
  Truncation truncation = Truncation::LongestFirst;
};

// BertNormalizer settings (tokenizer.json names). strip_accents unset means "same as lowercase".
struct NormalizerOptions {
  bool clean_text = true;
  bool handle_chinese_chars = true;
  std::optional<bool> strip_accents;
  bool lowercase = true;
};

class WordPieceTokenizerImpl;

// Immutable after load(); copies share the vocabulary. All const methods are thread-safe.
// Mirrors tokenizers.Tokenizer built as BertTokenizerFast builds it (BertNormalizer,
// BertPreTokenizer, WordPiece model, BERT post-processor, WordPiece decoder).
class WordPieceTokenizer {
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
  Encoding encode(std::string_view text, const EncodeOptions& options = {}) const;
  // Encodes a pair as [CLS] A [SEP] B [SEP], type ids 0 for A's part and 1 for B's part.
  Encoding encode_pair(std::string_view a, std::string_view b,
                       const EncodeOptions& options = {}) const;
  // Encodes every text on finsent::num_threads() threads; Padding::Longest pads to the longest.
  std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                     const EncodeOptions& options = {}) const;
  // Number of WordPiece tokens of `text` without specials, truncation or padding (fast path for
  // length statistics; no strings are built).
  size_t count_tokens(std::string_view text) const;

  // Ids to text as the reference decodes: specials dropped when asked, "##" pieces joined, other
  // tokens separated by spaces, spaces before . ? ! , removed. Unknown ids are skipped.
  std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = true) const;

  // Vocabulary id of `token`, if present.
  std::optional<int64_t> token_to_id(std::string_view token) const;
  // Vocabulary string of `id`; throws InputError when out of range.
  const std::string& id_to_token(int64_t id) const;

  int64_t pad_id() const;
  int64_t cls_id() const;
  int64_t sep_id() const;
  int64_t unk_id() const;
  size_t vocab_size() const;
  const NormalizerOptions& normalizer_options() const;

  // Writes vocab.txt, tokenizer_config.json and special_tokens_map.json into `dir` (created when
  // missing), loadable by Hugging Face AutoTokenizer. Throws IoError.
  void save(const std::filesystem::path& dir) const;
  // The files save() writes, as (file name, contents), for callers that write them atomically
  // together with other files (a model directory).
  std::vector<std::pair<std::string, std::string>> files() const;

 private:
  explicit WordPieceTokenizer(std::shared_ptr<const WordPieceTokenizerImpl> impl);
  std::shared_ptr<const WordPieceTokenizerImpl> impl_;
};

}  // namespace finsent::text
