// MPNet encoder (transformers MPNetModel without its pooler, as *ForSequenceClassification builds
// it): RoBERTa-style positions, no token types, and self-attention with a relative position bias
// shared by every layer (T5-style buckets, MPNetEncoder.relative_attention_bias).
#pragma once

#include <torch/torch.h>

#include "finsent/models/bert/bert_model.hpp"
#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/models/token_layout.hpp"

namespace finsent::models {

// MPNetConfig's fields beyond ModelConfig's.
struct MPNetFields {
  int64_t relative_attention_num_buckets = 32;
};

// MPNetEncoder.relative_position_bucket for the offsets key - query of a sequence of `length`:
// [length, length] int64 bucket ids in 0..num_buckets-1 (half per direction, exact below
// num_buckets / 4, logarithmic up to max_distance).
torch::Tensor relative_position_buckets(int64_t length, int64_t num_buckets, int64_t max_distance,
                                        const torch::TensorOptions& options);

// transformers MPNetSelfAttention: q, k, v, o projections; softmax over scores plus the position
// bias and key mask.
class MPNetSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit MPNetSelfAttentionImpl(const ModelConfig& c);
  // x laid out as `layout` has it; bias [b * heads, s, s] -> o(context), laid out alike
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout,
                        const torch::Tensor& bias);
  torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  int64_t heads;
  double dropout;
};
TORCH_MODULE(MPNetSelfAttention);

// transformers MPNetAttention: LayerNorm(dropout(attn(x)) + x).
class MPNetAttentionImpl : public torch::nn::Module {
 public:
  explicit MPNetAttentionImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout,
                        const torch::Tensor& bias);
  MPNetSelfAttention attn{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(MPNetAttention);

// transformers MPNetLayer: attention, then BERT's feed-forward (MPNetIntermediate/MPNetOutput
// are BertIntermediate/BertOutput).
class MPNetLayerImpl : public torch::nn::Module {
 public:
  explicit MPNetLayerImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout,
                        const torch::Tensor& bias);
  MPNetAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertOutput output{nullptr};
};
TORCH_MODULE(MPNetLayer);

// transformers MPNetEncoder: "layer.N" and "relative_attention_bias" [num_buckets, heads].
class MPNetEncoderImpl : public torch::nn::Module {
 public:
  explicit MPNetEncoderImpl(const ModelConfig& c);
  // embeddings [b, s, hidden], attention_mask [b, s] -> [b, s, hidden]
  torch::Tensor forward(const torch::Tensor& embeddings, const torch::Tensor& attention_mask);
  // The relative position bias of a sequence of `length`: [heads, length, length].
  torch::Tensor position_bias(int64_t length);
  torch::nn::ModuleList layer{nullptr};
  torch::nn::Embedding relative_attention_bias{nullptr};
  int64_t heads;
};
TORCH_MODULE(MPNetEncoder);

// "embeddings" (word, position) and "encoder".
class MPNetModelImpl : public EncoderImpl {
 public:
  // MPNetEmbeddings' padding_idx: fixed at 1 in Transformers, whatever pad_token_id says.
  static constexpr int64_t kPaddingIdx = 1;
  explicit MPNetModelImpl(ModelConfig c);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids) override;
  const ModelConfig& config() const override { return config_; }
  BertEmbeddings embeddings{nullptr};
  MPNetEncoder encoder{nullptr};

 private:
  ModelConfig config_;
};
TORCH_MODULE(MPNetModel);

}  // namespace finsent::models
