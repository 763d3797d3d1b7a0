// text::Tokenizer: the interface every tokenizer implements (WordPiece, the tokenizer.json
// pipeline with BPE / Unigram models), and load_tokenizer, which picks one from a model directory.
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

#include "finsent/text/encoding.hpp"

namespace finsent::text {

// Ids of the special tokens by role; unset when the tokenizer has no token for that role (GPT-2
// has no [CLS]/[PAD]). RoBERTa-style tokenizers fill cls = bos (<s>) and sep = eos (</s>).
struct SpecialTokenIds {
  std::optional<int64_t> cls, sep, pad, unk, mask, bos, eos;
};

// An immutable tokenizer: every const method is thread-safe. Mirrors tokenizers.Tokenizer (the
// Rust library behind Transformers' fast tokenizers); what each implementation mirrors exactly is
// said on the implementation. The interface is per text, never per token, so implementations keep
// their hot loops free of virtual calls.
class Tokenizer {
 public:
  virtual ~Tokenizer() = default;

  // Encodes one text (added tokens, normalizer, pre-tokenizer, model, post-processor, truncation,
  // padding). Invalid UTF-8 is read as U+FFFD per maximal invalid subsequence unless the
  // implementation says otherwise. Throws InputError when Padding::MaxLength has no max_length,
  // the text is 4 GiB or longer, or a truncation strategy cannot be met.
  virtual Encoding encode(std::string_view text, const EncodeOptions& options = {}) const = 0;
  // Encodes a pair as the post-processor lays it out ([CLS] A [SEP] B [SEP], <s> A </s></s> B
  // </s>, ...), type ids as the post-processor says.
  virtual Encoding encode_pair(std::string_view a, std::string_view b,
                               const EncodeOptions& options = {}) const = 0;
  // Encodes every text on finsent::num_threads() threads, each as encode(); Padding::Longest pads
  // every encoding to the longest one. Same results as encode() one by one.
  virtual std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                             const EncodeOptions& options = {}) const;
  // Number of tokens of `text` without special tokens, truncation or padding (what
  // encode(text, {add_special_tokens=false}).size() gives; implementations may skip building
  // strings).
  virtual size_t count_tokens(std::string_view text) const;
  // How many tokens the post-processor adds to a single text (pair = false) or a pair.
  virtual size_t num_special_tokens_to_add(bool pair) const = 0;

  // Ids to text through the decoder; special tokens dropped when asked. Unknown ids are skipped.
  virtual std::string decode(const std::vector<int64_t>& ids,
                             bool skip_special_tokens = true) const = 0;

  // Vocabulary id of `token` (added tokens included), if present.
  virtual std::optional<int64_t> token_to_id(std::string_view token) const = 0;
  // Vocabulary string of `id`; throws InputError when it is not in the vocabulary.
  virtual const std::string& id_to_token(int64_t id) const = 0;
  // One past the largest id (vocabulary and added tokens), what the embedding matrix must hold.
  virtual size_t vocab_size() const = 0;
  virtual const SpecialTokenIds& special_ids() const = 0;
  // The id padding uses; throws TokenizerError when the tokenizer has no pad token.
  int64_t pad_id() const;
  // tokenizer_config.json's model_max_length, when it gives one.
  virtual std::optional<size_t> model_max_length() const = 0;

  // tokenizer.json's truncation and padding sections and tokenizer_config.json's sides.
  virtual const EncodeSettings& encode_settings() const = 0;
  // What Transformers' tokenizer(text) starts from: special tokens added, nothing truncated or
  // padded, truncation_side / padding_side as Transformers reads them from the files (it ignores
  // the sections' max_length, strategy, stride, padding length and pad type id). Set max_length
  // on it for tokenizer(text, truncation=True, max_length=N).
  EncodeOptions default_options() const;
  // What tokenizers.Tokenizer.from_file(tokenizer.json).encode / encode_batch apply: the file's
  // truncation (max_length, strategy, direction, stride) and padding (BatchLongest or Fixed,
  // direction, pad_to_multiple_of, pad id/type/token) sections; overflowing windows returned.
  EncodeOptions file_options() const;

  // The files that load_tokenizer(dir) reads back to an identical tokenizer, loadable by Hugging
  // Face AutoTokenizer, as (file name, contents): callers that write a model directory write them
  // atomically together with its other files.
  virtual std::vector<std::pair<std::string, std::string>> files() const = 0;
  // Writes files() into `dir` (created when missing). Throws IoError.
  void save(const std::filesystem::path& dir) const;

 protected:
  // The token padding uses under `options` (id, string): options.pad_token, else pad_id() and
  // its string; (0, "") when `options` pad nothing. Throws as pad_id().
  std::pair<int64_t, std::string> padding_token(const EncodeOptions& options) const;
};

// Loads the tokenizer of `path`: a model directory (tokenizer.json preferred, else vocab.txt,
// vocab.json + merges.txt, or a SentencePiece spm.model / spiece.model / sentencepiece.bpe.model
// converted as Transformers does for tokenizer_config.json's tokenizer_class; with
// tokenizer_config.json's settings), a vocab.txt, or a
// tokenizer.json. Throws TokenizerError (unsupported or malformed files, missing special tokens)
// or IoError.
std::shared_ptr<const Tokenizer> load_tokenizer(const std::filesystem::path& path);

}  // namespace finsent::text
