// The encoder interface every model family implements (models/<family>/), and make_encoder.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/config.hpp"

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
  // The first position's summary a pooler-reading head takes (BertPooler: tanh(dense(hidden[:,
  // 0]))), [batch, hidden]. Throws ConfigError for encoders without a pooler (DistilBERT).
  virtual torch::Tensor pool(const torch::Tensor& last_hidden_state);
  virtual bool has_pooler() const { return false; }
  // The pooler's parameters (part of the encoder); empty without a pooler.
  virtual std::vector<torch::Tensor> pooler_parameters() const { return {}; }
  virtual const ModelConfig& config() const = 0;
};
TORCH_MODULE(Encoder);

// The longest input (tokens, special tokens included) config's model embeds: its family's
// ModelFamily::max_length, max_position_embeddings unless the family says otherwise (RoBERTa's
// positions start after padding_idx: max_position_embeddings - padding_idx - 1).
int64_t max_sequence_length(const ModelConfig& config);

// A freshly initialized encoder of config.model_type's family (weights are then loaded from a
// checkpoint). Throws ConfigError for a model_type no family reads.
Encoder make_encoder(const ModelConfig& config);

namespace detail {
// Shared input checks of every encoder (see EncoderImpl::forward): shapes, the sequence length
// against max_sequence_length, ids inside the vocabulary, and token_type_ids (may be undefined)
// inside 0..type_vocab_size-1 for families with token types. Throws InputError.
void check_encoder_inputs(const ModelConfig& config, const torch::Tensor& input_ids,
                          const torch::Tensor& attention_mask,
                          const torch::Tensor& token_type_ids = {});
}  // namespace detail

}  // namespace finsent::models
