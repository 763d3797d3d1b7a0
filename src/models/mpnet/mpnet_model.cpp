// MPNet encoder modules (transformers.models.mpnet.modeling_mpnet), forward passes top to bottom.
#include "finsent/models/mpnet/mpnet_model.hpp"

#include <cmath>

#include "attention.hpp"
#include "finsent/models/roberta/roberta_model.hpp"
#include "finsent/ops/dropout.hpp"
#include "finsent/ops/layer_norm.hpp"
#include "finsent/ops/linear.hpp"
#include "layer_norm.hpp"

namespace finsent::models {

namespace nn = torch::nn;

namespace {
// MPNetEncoder.compute_position_bias's arguments: it passes 32 buckets whatever the config says
// (the table has relative_attention_num_buckets rows; the config check asks for at least 32).
constexpr int64_t kBuckets = 32;
constexpr int64_t kMaxDistance = 128;
}  // namespace

torch::Tensor relative_position_buckets(int64_t length, int64_t num_buckets, int64_t max_distance,
                                        const torch::TensorOptions& options) {
  const auto longs = options.dtype(torch::kLong);
  const torch::Tensor position = torch::arange(length, longs);
  const torch::Tensor relative = position.view({1, -1}) - position.view({-1, 1});  // key - query
  const torch::Tensor n = -relative;
  const int64_t half = num_buckets / 2, max_exact = half / 2;
  const torch::Tensor direction = (n < 0).to(torch::kLong) * half;
  const torch::Tensor distance = n.abs();
  // The same float32 operations as Transformers, so the same truncation at bucket edges.
  const torch::Tensor scaled =
      torch::log(distance.to(torch::kFloat) / max_exact) /
      std::log(static_cast<double>(max_distance) / static_cast<double>(max_exact)) *
      static_cast<double>(half - max_exact);
  const torch::Tensor large = torch::clamp_max(max_exact + scaled.to(torch::kLong), half - 1);
  return direction + torch::where(distance < max_exact, distance, large);
}

MPNetSelfAttentionImpl::MPNetSelfAttentionImpl(const ModelConfig& c)
    : heads(c.num_attention_heads), dropout(c.attention_probs_dropout_prob) {
  q = register_module("q", nn::Linear(c.hidden_size, c.hidden_size));
  k = register_module("k", nn::Linear(c.hidden_size, c.hidden_size));
  v = register_module("v", nn::Linear(c.hidden_size, c.hidden_size));
  o = register_module("o", nn::Linear(c.hidden_size, c.hidden_size));
}

torch::Tensor MPNetSelfAttentionImpl::forward(const torch::Tensor& x, const TokenLayout& layout,
                                              const torch::Tensor& bias) {
  const torch::Tensor context =
      detail::multi_head_attention(ops::linear(q, x), ops::linear(k, x), ops::linear(v, x), layout,
                                   bias, heads, dropout, is_training());
  return ops::linear(o, context);
}

MPNetAttentionImpl::MPNetAttentionImpl(const ModelConfig& c) {
  attn = register_module("attn", MPNetSelfAttention(c));
  LayerNorm = register_module("LayerNorm", detail::layer_norm(c));
  dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
}

torch::Tensor MPNetAttentionImpl::forward(const torch::Tensor& x, const TokenLayout& layout,
                                          const torch::Tensor& bias) {
  return ops::layer_norm(LayerNorm, ops::dropout(dropout, attn(x, layout, bias)) + x);
}

MPNetLayerImpl::MPNetLayerImpl(const ModelConfig& c) {
  attention = register_module("attention", MPNetAttention(c));
  intermediate = register_module("intermediate", BertIntermediate(c));
  output = register_module("output", BertOutput(c));
}

torch::Tensor MPNetLayerImpl::forward(const torch::Tensor& x, const TokenLayout& layout,
                                      const torch::Tensor& bias) {
  torch::Tensor attended = attention(x, layout, bias);
  return output(intermediate(attended), attended);
}

MPNetEncoderImpl::MPNetEncoderImpl(const ModelConfig& c) : heads(c.num_attention_heads) {
  layer = register_module("layer", nn::ModuleList());
  for (int64_t i = 0; i < c.num_hidden_layers; ++i) layer->push_back(MPNetLayer(c));
  relative_attention_bias =
      register_module("relative_attention_bias",
                      nn::Embedding(c.fields<MPNetFields>().relative_attention_num_buckets, heads));
}

torch::Tensor MPNetEncoderImpl::position_bias(int64_t length) {
  const torch::Tensor buckets = relative_position_buckets(
      length, kBuckets, kMaxDistance, relative_attention_bias->weight.options());
  return relative_attention_bias(buckets).permute({2, 0, 1});  // [heads, q, k]
}

torch::Tensor MPNetEncoderImpl::forward(const torch::Tensor& embeddings,
                                        const torch::Tensor& attention_mask) {
  const int64_t b = attention_mask.size(0), s = attention_mask.size(1);
  // Training skips the padding (see TokenLayout); inference batches are sorted by length.
  const TokenLayout layout(attention_mask, heads, embeddings.scalar_type(), /*pack=*/is_training());
  // Scores + position bias + key mask, in Transformers' order; one [b * heads, s, s] bias for
  // every layer, which the attention op adds per query row.
  const torch::Tensor bias =
      (position_bias(s).to(embeddings.scalar_type()).unsqueeze(0).expand({b, heads, s, s}) +
       layout.attention_bias().view({b, heads, 1, s}))
          .reshape({b * heads, s, s});
  torch::Tensor x = layout.pack(embeddings);
  for (const auto& block : *layer) x = block->as<MPNetLayerImpl>()->forward(x, layout, bias);
  return layout.unpack(x);
}

MPNetModelImpl::MPNetModelImpl(ModelConfig c) : config_(std::move(c)) {
  embeddings =
      register_module("embeddings", BertEmbeddings(config_, config_.hidden_size, kPaddingIdx));
  encoder = register_module("encoder", MPNetEncoder(config_));
}

torch::Tensor MPNetModelImpl::forward(const torch::Tensor& input_ids,
                                      const torch::Tensor& attention_mask, const torch::Tensor&) {
  detail::check_encoder_inputs(config_, input_ids, attention_mask);
  const torch::Tensor x =
      embeddings->forward(input_ids, {}, position_ids_after_padding(input_ids, kPaddingIdx));
  return encoder->forward(x, attention_mask);
}

}  // namespace finsent::models
