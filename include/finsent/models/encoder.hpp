// The encoder interface shared by BERT and DistilBERT, and the model_type -> builder registry.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/config_shapes.hpp"

namespace finsent::models {

// A transformer encoder whose parameters carry the Hugging Face base model's names
// ("embeddings.word_embeddings.weight", "encoder.layer.0...", "transformer.layer.0...").
class EncoderImpl : public torch::nn::Module {
 public:
  // input_ids, attention_mask, token_type_ids: [batch, seq] int64 (token_type_ids may be undefined:
  // zeros; models without token types ignore it). Returns last_hidden_state [batch, seq, hidden]
  // float. In training mode padded positions are not computed and hold zeros (TokenLayout); in
  // eval mode they hold what Transformers computes there. Throws InputError for sequences longer
  // than max_position_embeddings or ids outside the vocabulary.
  virtual torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                const torch::Tensor& token_type_ids) = 0;
  // The [CLS] summary a BertForSequenceClassification head reads: tanh(dense(hidden[:, 0])),
  // [batch, hidden]. Throws ConfigError for encoders without a pooler (DistilBERT).
  virtual torch::Tensor pool(const torch::Tensor& last_hidden_state);
  virtual bool has_pooler() const { return false; }
  virtual const ModelConfig& config() const = 0;
};
TORCH_MODULE(Encoder);

// What the registry knows about one model_type.
struct ModelFamily {
  std::string model_type;  // "bert"
  std::string prefix;      // the base model's attribute in *ForSequenceClassification: "bert"
  std::string classifier_architecture;  // "BertForSequenceClassification"
  std::string base_architecture;        // "BertModel"
  std::string default_head;  // the head of classifier_architecture: "bert" | "distilbert"
  std::shared_ptr<EncoderImpl> (*build)(const ModelConfig&);
  // The checkpoint tensors whose shapes pin every size build() allocates, and the layer count:
  // what check_config_shapes compares with a checkpoint's header before build() runs.
  FamilyShapes (*shapes)(const ModelConfig&);
};

// The family of config.model_type; throws ConfigError for types without one.
const ModelFamily& model_family(const std::string& model_type);

// A freshly initialized encoder for `config` (weights are then loaded from a checkpoint).
Encoder make_encoder(const ModelConfig& config);

namespace detail {
// Shared input checks of both encoders (see EncoderImpl::forward).
void check_encoder_inputs(const ModelConfig& config, const torch::Tensor& input_ids,
                          const torch::Tensor& attention_mask);
}  // namespace detail

}  // namespace finsent::models
