// DistilBERT encoder modules (transformers.models.distilbert.modeling_distilbert), forward passes
// top to bottom.
#include "finsent/models/distilbert/distilbert_model.hpp"

#include "attention.hpp"
#include "finsent/ops/activation.hpp"
#include "finsent/ops/dropout.hpp"
#include "finsent/ops/layer_norm.hpp"
#include "finsent/ops/linear.hpp"
#include "layer_norm.hpp"

namespace finsent::models {

namespace nn = torch::nn;

DistilBertEmbeddingsImpl::DistilBertEmbeddingsImpl(const ModelConfig& c) {
  word_embeddings = register_module(
      "word_embeddings",
      nn::Embedding(nn::EmbeddingOptions(c.vocab_size, c.hidden_size).padding_idx(c.pad_token_id)));
  position_embeddings = register_module("position_embeddings",
                                        nn::Embedding(c.max_position_embeddings, c.hidden_size));
  LayerNorm = register_module("LayerNorm", detail::layer_norm(c));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor DistilBertEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
  torch::Tensor positions = torch::arange(input_ids.size(1), input_ids.options());
  torch::Tensor x = word_embeddings(input_ids) + position_embeddings(positions);
  x = ops::layer_norm(LayerNorm, x);
  return ops::dropout(dropout, x);
}

MultiHeadSelfAttentionImpl::MultiHeadSelfAttentionImpl(const ModelConfig& c)
    : heads(c.num_attention_heads), dropout(c.attention_probs_dropout_prob) {
  q_lin = register_module("q_lin", nn::Linear(c.hidden_size, c.hidden_size));
  k_lin = register_module("k_lin", nn::Linear(c.hidden_size, c.hidden_size));
  v_lin = register_module("v_lin", nn::Linear(c.hidden_size, c.hidden_size));
  out_lin = register_module("out_lin", nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor MultiHeadSelfAttentionImpl::forward(const torch::Tensor& x,
                                                  const TokenLayout& layout) {
  torch::Tensor context =
      detail::multi_head_attention(ops::linear(q_lin, x), ops::linear(k_lin, x),
                                   ops::linear(v_lin, x), layout, heads, dropout, is_training());
  return ops::linear(out_lin, context);
}

FFNImpl::FFNImpl(const ModelConfig& c) : activation(ops::activation_from_name(c.hidden_act)) {
  lin1 = register_module("lin1", nn::Linear(c.hidden_size, c.intermediate_size));
  lin2 = register_module("lin2", nn::Linear(c.intermediate_size, c.hidden_size));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor FFNImpl::forward(const torch::Tensor& x) {
  torch::Tensor h = ops::activate(ops::linear(lin1, x), activation);
  return ops::dropout(dropout, ops::linear(lin2, h));
}

TransformerBlockImpl::TransformerBlockImpl(const ModelConfig& c) {
  attention = register_module("attention", MultiHeadSelfAttention(c));
  sa_layer_norm = register_module("sa_layer_norm", detail::layer_norm(c));
  ffn = register_module("ffn", FFN(c));
  output_layer_norm = register_module("output_layer_norm", detail::layer_norm(c));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x, const TokenLayout& layout) {
  torch::Tensor attended = ops::layer_norm(sa_layer_norm, attention(x, layout) + x);
  return ops::layer_norm(output_layer_norm, ffn(attended) + attended);
}

TransformerImpl::TransformerImpl(const ModelConfig& c) {
  layer = register_module("layer", nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer->push_back(TransformerBlock(c));
}

torch::Tensor TransformerImpl::forward(torch::Tensor x, const TokenLayout& layout) {
  for (const auto& block : *layer) x = block->as<TransformerBlockImpl>()->forward(x, layout);
  return x;
}

DistilBertModelImpl::DistilBertModelImpl(ModelConfig c) : config_(std::move(c)) {
  embeddings = register_module("embeddings", DistilBertEmbeddings(config_));
  transformer = register_module("transformer", Transformer(config_));
}

torch::Tensor DistilBertModelImpl::forward(const torch::Tensor& input_ids,
                                           const torch::Tensor& attention_mask,
                                           const torch::Tensor& /*token_type_ids*/) {
  detail::check_encoder_inputs(config_, input_ids, attention_mask);
  torch::Tensor x = embeddings(input_ids);
  // Training skips the padding (see TokenLayout); inference batches are sorted by length.
  const TokenLayout layout(attention_mask, config_.num_attention_heads, x.scalar_type(),
                           /*pack=*/is_training());
  return layout.unpack(transformer(layout.pack(x), layout));
}

}  // namespace finsent::models
