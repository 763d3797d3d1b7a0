// RoBERTa encoder (transformers RobertaModel without its pooler, as *ForSequenceClassification
// builds it; XLM-R and CamemBERT share it): BERT's embeddings and layers, with position ids that
// start after padding_idx.
#pragma once

#include <torch/torch.h>

#include "finsent/models/bert/bert_model.hpp"
#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"

namespace finsent::models {

// transformers create_position_ids_from_input_ids: for input_ids [b, s] int64, the position of
// each token counted from padding_idx + 1 over the tokens that are not padding_idx (a cumulative
// sum over input_ids != padding_idx); padding_idx at padding. [b, s] int64.
torch::Tensor position_ids_after_padding(const torch::Tensor& input_ids, int64_t padding_idx);

// "embeddings" (word, position, token type: BertEmbeddings' tensors) and "encoder".
class RobertaModelImpl : public EncoderImpl {
 public:
  explicit RobertaModelImpl(ModelConfig c);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids) override;
  const ModelConfig& config() const override { return config_; }
  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};

 private:
  ModelConfig config_;
};
TORCH_MODULE(RobertaModel);

}  // namespace finsent::models
