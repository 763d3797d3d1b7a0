// ELECTRA discriminator encoder (transformers ElectraModel): BERT's embeddings at embedding_size
// wide, projected to hidden_size when the two differ, then BERT's layers; no pooler.
#pragma once

#include <torch/torch.h>

#include "finsent/models/bert/bert_model.hpp"
#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"

namespace finsent::models {

// ElectraConfig's fields beyond ModelConfig's.
struct ElectraFields {
  std::optional<double> classifier_dropout;  // null means hidden_dropout_prob
  int64_t embedding_size = 128;
};

// "embeddings", "embeddings_project" (only when embedding_size != hidden_size) and "encoder".
class ElectraModelImpl : public EncoderImpl {
 public:
  explicit ElectraModelImpl(ModelConfig c);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids) override;
  const ModelConfig& config() const override { return config_; }
  BertEmbeddings embeddings{nullptr};
  torch::nn::Linear embeddings_project{nullptr};  // null when embedding_size == hidden_size
  BertEncoder encoder{nullptr};

 private:
  ModelConfig config_;
};
TORCH_MODULE(ElectraModel);

}  // namespace finsent::models
