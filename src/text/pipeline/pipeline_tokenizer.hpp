// PipelineTokenizer: text::Tokenizer over a tokenizer.json pipeline (added tokens, normalizer,
// pre-tokenizer, model, post-processor, decoder), as tokenizers::Tokenizer.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>

#include "added_vocabulary.hpp"
#include "components.hpp"
#include "finsent/text/tokenizer.hpp"

namespace finsent::text {

struct Pipeline {
  std::unique_ptr<Normalizer> normalizer;       // may be null
  std::unique_ptr<PreTokenizer> pre_tokenizer;  // may be null
  std::unique_ptr<Model> model;
  std::unique_ptr<PostProcessor> post_processor;  // may be null: sequences as they are
  std::unique_ptr<Decoder> decoder;               // may be null: tokens joined by spaces
  AddedVocabulary added;
  SpecialTokenIds special_ids;
  std::optional<size_t> model_max_length;
  EncodeSettings encode_settings;   // tokenizer.json's truncation / padding, the config's sides
  nlohmann::json tokenizer_json;    // what save() writes back
  nlohmann::json tokenizer_config;  // tokenizer_config.json as read (or built), for save()
};

class PipelineTokenizer final : public Tokenizer, private TokenStrings {
 public:
  explicit PipelineTokenizer(Pipeline pipeline);
  // Sets the ids by role (while loading, before the tokenizer is shared).
  void set_special_ids(const SpecialTokenIds& ids) { p_.special_ids = ids; }

  Encoding encode(std::string_view text, const EncodeOptions& options = {}) const override;
  Encoding encode_pair(std::string_view a, std::string_view b,
                       const EncodeOptions& options = {}) const override;
  size_t count_tokens(std::string_view text) const override;
  size_t num_special_tokens_to_add(bool pair) const override;
  std::string decode(const std::vector<int64_t>& ids,
                     bool skip_special_tokens = true) const override;
  std::optional<int64_t> token_to_id(std::string_view token) const override;
  const std::string& id_to_token(int64_t id) const override;
  size_t vocab_size() const override { return vocab_size_; }
  const SpecialTokenIds& special_ids() const override { return p_.special_ids; }
  std::optional<size_t> model_max_length() const override { return p_.model_max_length; }
  const EncodeSettings& encode_settings() const override { return p_.encode_settings; }
  // Writes tokenizer.json and tokenizer_config.json.
  std::vector<std::pair<std::string, std::string>> files() const override;

 private:
  const std::string* value_of(const RawToken& token) const override;
  const std::string* token_of(int32_t id) const;
  // Added tokens, normalization, pre-tokenization and the model over one text; offsets in the
  // original bytes.
  void tokenize(std::string_view text, std::vector<RawToken>& out) const;
  Encoding encode_impl(std::string_view a, const std::string_view* b,
                       const EncodeOptions& options) const;

  Pipeline p_;
  size_t vocab_size_;
};

}  // namespace finsent::text
