// ELECTRA encoder (transformers.models.electra.modeling_electra).
#include "finsent/models/electra/electra_model.hpp"

#include "finsent/ops/linear.hpp"

namespace finsent::models {

ElectraModelImpl::ElectraModelImpl(ModelConfig c) : config_(std::move(c)) {
  const int64_t width = config_.fields<ElectraFields>().embedding_size;
  embeddings = register_module("embeddings", BertEmbeddings(config_, width));
  if (width != config_.hidden_size)
    embeddings_project =
        register_module("embeddings_project", torch::nn::Linear(width, config_.hidden_size));
  encoder = register_module("encoder", BertEncoder(config_));
}

torch::Tensor ElectraModelImpl::forward(const torch::Tensor& input_ids,
                                        const torch::Tensor& attention_mask,
                                        const torch::Tensor& token_type_ids) {
  detail::check_encoder_inputs(config_, input_ids, attention_mask, token_type_ids);
  torch::Tensor x = embeddings(input_ids, token_type_ids);
  if (!embeddings_project.is_empty()) x = ops::linear(embeddings_project, x);
  return encoder->forward(x, attention_mask, config_.num_attention_heads);
}

}  // namespace finsent::models
