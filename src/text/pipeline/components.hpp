// The five stages of a tokenizer.json pipeline as interfaces (tokenizers' Normalizer,
// PreTokenizer, Model, PostProcessor, Decoder traits). Implementations live one concept per file
// under src/text/pipeline/ and are built from JSON by registry.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../post_process.hpp"
#include "normalized_string.hpp"
#include "pre_tokenized_string.hpp"

namespace finsent::text {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(NormalizedString& s) const = 0;
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void pre_tokenize(PreTokenizedString& s) const = 0;
};

// A vocabulary model: WordPiece, BPE, Unigram. Thread-safe const methods (caches, if any, are
// internally synchronised or per thread).
class Model {
 public:
  virtual ~Model() = default;
  // Appends the tokens of one pre-tokenized split; offsets are byte ranges in `sequence`.
  virtual void tokenize(std::string_view sequence, std::vector<Token>& out) const = 0;
  virtual std::optional<int32_t> token_to_id(std::string_view token) const = 0;
  // The token string of `id`, or nullptr when the model has no such id.
  virtual const std::string* id_to_token(int32_t id) const = 0;
  // Number of ids in the model's vocabulary (one past the largest).
  virtual size_t vocab_size() const = 0;
};

class PostProcessor {
 public:
  virtual ~PostProcessor() = default;
  // Special tokens added around one text (pair = false) or a pair.
  virtual size_t added_tokens(bool pair) const = 0;
  // Adjusts one sequence's token offsets in place (ByteLevel / RobertaProcessing trim_offsets);
  // runs after truncation, whether or not special tokens are added.
  virtual void process_offsets(std::vector<RawToken>& tokens, const TokenStrings& strings) const;
  // The layout of special tokens and sequences for a single text or a pair; false when this
  // processor adds no special tokens (ByteLevel), so the sequences stay as they are.
  virtual bool layout(bool pair, std::vector<LayoutPiece>& out) const = 0;
  // Whether overflowing windows take the layout's type ids (BertProcessing, RobertaProcessing)
  // or keep their sequence's (TemplateProcessing); see PostProcessing.
  virtual bool overflow_type_ids_from_layout() const { return true; }
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Rewrites the token strings in place (tokenizers' decode_chain); the decoded text is their
  // concatenation.
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

}  // namespace finsent::text
