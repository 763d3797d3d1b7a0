// ModelConfig: a Hugging Face config.json for model_type "bert" or "distilbert" (torch-free).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace finsent::models {

// Mirrors BertConfig / DistilBertConfig with Transformers' defaults. Fields carry BertConfig's
// names; the DistilBERT name each one is read from (and written back to) is given beside it.
struct ModelConfig {
  std::string model_type = "bert";         // "bert" | "distilbert"
  std::vector<std::string> architectures;  // e.g. {"BertForSequenceClassification"}
  int64_t vocab_size = 30522;
  int64_t hidden_size = 768;                  // distilbert: dim
  int64_t num_hidden_layers = 12;             // distilbert: n_layers (default 6)
  int64_t num_attention_heads = 12;           // distilbert: n_heads
  int64_t intermediate_size = 3072;           // distilbert: hidden_dim
  std::string hidden_act = "gelu";            // distilbert: activation; gelu | gelu_new | relu
  double hidden_dropout_prob = 0.1;           // distilbert: dropout
  double attention_probs_dropout_prob = 0.1;  // distilbert: attention_dropout
  std::optional<double> classifier_dropout;   // bert only; null means hidden_dropout_prob
  double seq_classif_dropout = 0.2;           // distilbert only
  int64_t max_position_embeddings = 512;
  int64_t type_vocab_size = 2;    // distilbert: 0 (no token type embeddings)
  double layer_norm_eps = 1e-12;  // distilbert: fixed at 1e-12 by Transformers
  int64_t pad_token_id = 0;
  double initializer_range = 0.02;
  bool sinusoidal_pos_embds = false;        // distilbert only (the weights are in the checkpoint)
  std::vector<std::string> id2label;        // index i -> label; default LABEL_0, LABEL_1
  std::optional<std::string> problem_type;  // single_label_classification | ...
  // The document as read, so keys finsent does not model survive load -> to_json.
  nlohmann::json extra = nlohmann::json::object();

  // Reads and validates `path` (a config.json, or a directory holding one). Throws ConfigError
  // "PATH: FIELD: reason" for unreadable JSON, unknown model_type, non-finite or out-of-range
  // values, and inconsistent sizes (hidden_size not divisible by num_attention_heads, ...).
  static ModelConfig load(const std::filesystem::path& path);
  // Same, from a parsed document; `origin` names it in error messages.
  static ModelConfig from_json(const nlohmann::json& doc, const std::string& origin);
  // The config.json document, with the model type's own field names, id2label/label2id and
  // architectures; unknown keys read by load() are kept.
  nlohmann::json to_json() const;
  // Throws ConfigError (prefixed by `origin`) if the values are inconsistent.
  void validate(const std::string& origin) const;

  int64_t num_labels() const { return static_cast<int64_t>(id2label.size()); }
  // Dropout before the classifier of BertForSequenceClassification.
  double bert_classifier_dropout() const {
    return classifier_dropout.value_or(hidden_dropout_prob);
  }
};

}  // namespace finsent::models
