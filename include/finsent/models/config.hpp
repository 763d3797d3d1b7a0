// ModelConfig: a Hugging Face config.json of any registered model family (torch-free).
#pragma once

#include <any>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace finsent::models {

// What every encoder family shares, under BertConfig's field names and with BertConfig's defaults.
// A family reads each field from its own config.json name (DistilBERT: dim, n_layers, ...) and
// sets its own defaults (its ConfigSchema, family.hpp); fields only it has (DistilBERT's
// seq_classif_dropout, ...) live in `family_fields` as a struct the family defines.
struct ModelConfig {
  std::string model_type;                  // a registered model_type or alias (registry.hpp)
  std::vector<std::string> architectures;  // e.g. {"BertForSequenceClassification"}
  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;
  int64_t num_hidden_layers = 12;
  int64_t num_attention_heads = 12;
  int64_t intermediate_size = 3072;
  std::string hidden_act = "gelu";  // gelu | gelu_new | relu
  double hidden_dropout_prob = 0.1;
  double attention_probs_dropout_prob = 0.1;
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;    // 0 for a family without token type embeddings
  double layer_norm_eps = 1e-12;  // the family's fixed value where config.json has no such field
  int64_t pad_token_id = 0;
  double initializer_range = 0.02;
  std::vector<std::string> id2label;        // index i -> label; default LABEL_0, LABEL_1
  std::optional<std::string> problem_type;  // single_label_classification | ...
  // The family's own fields, as the struct its ConfigSchema reads (empty: that struct's defaults).
  std::any family_fields;
  // The document as read, so keys finsent does not model survive load -> to_json.
  nlohmann::json extra = nlohmann::json::object();

  // Reads and validates `path` (a config.json, or a directory holding one) with the schema of
  // model_type's family. Throws ConfigError "PATH: FIELD: reason" for unreadable JSON, a missing or
  // unregistered model_type, non-finite or out-of-range values, and inconsistent sizes
  // (hidden_size not divisible by num_attention_heads, ...).
  static ModelConfig load(const std::filesystem::path& path);
  // Same, from a parsed document; `origin` names it in error messages.
  static ModelConfig from_json(const nlohmann::json& doc, const std::string& origin);
  // The config.json document, with the family's own field names, id2label/label2id and
  // architectures; unknown keys read by load() are kept.
  nlohmann::json to_json() const;
  // Throws ConfigError (prefixed by `origin`) if the values are inconsistent; the family's own
  // fields are checked by its schema.
  void validate(const std::string& origin) const;

  int64_t num_labels() const { return static_cast<int64_t>(id2label.size()); }

  // The family's fields as its struct T, or T's defaults when the config holds none (a config
  // built in code, or another family's config under this family's head: --head distilbert on a
  // BERT encoder reads DistilBertFields' seq_classif_dropout default, as Transformers would).
  template <class T>
  const T& fields() const {
    if (const T* f = std::any_cast<T>(&family_fields)) return *f;
    static const T defaults{};
    return defaults;
  }
  // The same, for setting them (T's defaults are stored first when the config holds none).
  template <class T>
  T& mutable_fields() {
    if (std::any_cast<T>(&family_fields) == nullptr) family_fields = T{};
    return *std::any_cast<T>(&family_fields);
  }
};

}  // namespace finsent::models
