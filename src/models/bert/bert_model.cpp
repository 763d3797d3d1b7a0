// BERT encoder modules (transformers.models.bert.modeling_bert), forward passes top to bottom.
#include "finsent/models/bert/bert_model.hpp"

#include "attention.hpp"
#include "finsent/core/error.hpp"
#include "finsent/ops/activation.hpp"
#include "finsent/ops/dropout.hpp"
#include "finsent/ops/layer_norm.hpp"
#include "finsent/ops/linear.hpp"
#include "layer_norm.hpp"

namespace finsent::models {

namespace nn = torch::nn;

BertEmbeddingsImpl::BertEmbeddingsImpl(const ModelConfig& c, int64_t dim,
                                       int64_t position_padding_idx) {
  word_embeddings = register_module(
      "word_embeddings",
      nn::Embedding(nn::EmbeddingOptions(c.vocab_size, dim).padding_idx(c.pad_token_id)));
  auto positions = nn::EmbeddingOptions(c.max_position_embeddings, dim);
  if (position_padding_idx >= 0) positions.padding_idx(position_padding_idx);
  position_embeddings = register_module("position_embeddings", nn::Embedding(positions));
  if (c.type_vocab_size > 0)
    token_type_embeddings =
        register_module("token_type_embeddings", nn::Embedding(c.type_vocab_size, dim));
  LayerNorm = register_module("LayerNorm",
                              nn::LayerNorm(nn::LayerNormOptions({dim}).eps(c.layer_norm_eps)));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& input_ids,
                                          const torch::Tensor& token_type_ids,
                                          const torch::Tensor& position_ids) {
  torch::Tensor x = word_embeddings(input_ids);
  if (!token_type_embeddings.is_empty()) {  // MPNet has no token types
    // Undefined ids are all type 0: one row, broadcast.
    x = x + (token_type_ids.defined() ? token_type_embeddings(token_type_ids)
                                      : token_type_embeddings->weight[0]);
  }
  if (position_ids.defined()) {
    x = x + position_embeddings(position_ids);
  } else {  // [s, dim] broadcast over the batch
    x = x + position_embeddings(torch::arange(input_ids.size(1), input_ids.options()));
  }
  x = ops::layer_norm(LayerNorm, x);
  return ops::dropout(dropout, x);
}

BertSelfAttentionImpl::BertSelfAttentionImpl(const ModelConfig& c)
    : heads(c.num_attention_heads), dropout(c.attention_probs_dropout_prob) {
  query = register_module("query", nn::Linear(c.hidden_size, c.hidden_size));
  key = register_module("key", nn::Linear(c.hidden_size, c.hidden_size));
  value = register_module("value", nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor BertSelfAttentionImpl::forward(const torch::Tensor& x, const TokenLayout& layout) {
  return detail::multi_head_attention(ops::linear(query, x), ops::linear(key, x),
                                      ops::linear(value, x), layout, heads, dropout, is_training());
}

BertSelfOutputImpl::BertSelfOutputImpl(const ModelConfig& c) {
  dense = register_module("dense", nn::Linear(c.hidden_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", detail::layer_norm(c));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertSelfOutputImpl::forward(const torch::Tensor& context,
                                          const torch::Tensor& residual) {
  torch::Tensor x = ops::dropout(dropout, ops::linear(dense, context));
  return ops::layer_norm(LayerNorm, x + residual);
}

BertAttentionImpl::BertAttentionImpl(const ModelConfig& c) {
  self = register_module("self", BertSelfAttention(c));
  output = register_module("output", BertSelfOutput(c));
}

torch::Tensor BertAttentionImpl::forward(const torch::Tensor& x, const TokenLayout& layout) {
  torch::Tensor context = self(x, layout);
  return output(context, x);
}

BertIntermediateImpl::BertIntermediateImpl(const ModelConfig& c)
    : activation(ops::activation_from_name(c.hidden_act)) {
  dense = register_module("dense", nn::Linear(c.hidden_size, c.intermediate_size));
}

torch::Tensor BertIntermediateImpl::forward(const torch::Tensor& x) {
  return ops::activate(ops::linear(dense, x), activation);
}

BertOutputImpl::BertOutputImpl(const ModelConfig& c) {
  dense = register_module("dense", nn::Linear(c.intermediate_size, c.hidden_size));
  LayerNorm = register_module("LayerNorm", detail::layer_norm(c));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertOutputImpl::forward(const torch::Tensor& x, const torch::Tensor& residual) {
  torch::Tensor y = ops::dropout(dropout, ops::linear(dense, x));
  return ops::layer_norm(LayerNorm, y + residual);
}

BertLayerImpl::BertLayerImpl(const ModelConfig& c) {
  attention = register_module("attention", BertAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertOutput(c));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& x, const TokenLayout& layout) {
  torch::Tensor attended = attention(x, layout);
  torch::Tensor expanded = intermediate(attended);
  return output(expanded, attended);
}

BertEncoderImpl::BertEncoderImpl(const ModelConfig& c) {
  layer = register_module("layer", nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer->push_back(BertLayer(c));
}

torch::Tensor BertEncoderImpl::forward(torch::Tensor x, const TokenLayout& layout) {
  for (const auto& block : *layer) x = block->as<BertLayerImpl>()->forward(x, layout);
  return x;
}

torch::Tensor BertEncoderImpl::forward(const torch::Tensor& embeddings,
                                       const torch::Tensor& attention_mask, int64_t heads) {
  // Training skips the padding (see TokenLayout); inference batches are sorted by length.
  const TokenLayout layout(attention_mask, heads, embeddings.scalar_type(),
                           /*pack=*/is_training());
  return layout.unpack(forward(layout.pack(embeddings), layout));
}

BertPoolerImpl::BertPoolerImpl(const ModelConfig& c) {
  dense = register_module("dense", nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& last_hidden_state) {
  torch::Tensor first = last_hidden_state.select(1, 0);
  return torch::tanh(ops::linear(dense, first));
}

BertModelImpl::BertModelImpl(ModelConfig c) : config_(std::move(c)) {
  embeddings = register_module("embeddings", BertEmbeddings(config_));
  encoder = register_module("encoder", BertEncoder(config_));
  pooler = register_module("pooler", BertPooler(config_));
}

torch::Tensor BertModelImpl::forward(const torch::Tensor& input_ids,
                                     const torch::Tensor& attention_mask,
                                     const torch::Tensor& token_type_ids) {
  detail::check_encoder_inputs(config_, input_ids, attention_mask, token_type_ids);
  return encoder->forward(embeddings(input_ids, token_type_ids), attention_mask,
                          config_.num_attention_heads);
}

}  // namespace finsent::models
