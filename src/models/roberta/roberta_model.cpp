// RoBERTa encoder (transformers.models.roberta.modeling_roberta).
#include "finsent/models/roberta/roberta_model.hpp"

namespace finsent::models {

torch::Tensor position_ids_after_padding(const torch::Tensor& input_ids, int64_t padding_idx) {
  const torch::Tensor real = input_ids.ne(padding_idx).to(torch::kLong);
  return torch::cumsum(real, 1) * real + padding_idx;
}

RobertaModelImpl::RobertaModelImpl(ModelConfig c) : config_(std::move(c)) {
  embeddings = register_module("embeddings",
                               BertEmbeddings(config_, config_.hidden_size, config_.pad_token_id));
  encoder = register_module("encoder", BertEncoder(config_));
}

torch::Tensor RobertaModelImpl::forward(const torch::Tensor& input_ids,
                                        const torch::Tensor& attention_mask,
                                        const torch::Tensor& token_type_ids) {
  detail::check_encoder_inputs(config_, input_ids, attention_mask, token_type_ids);
  const torch::Tensor x = embeddings(input_ids, token_type_ids,
                                     position_ids_after_padding(input_ids, config_.pad_token_id));
  return encoder->forward(x, attention_mask, config_.num_attention_heads);
}

}  // namespace finsent::models
