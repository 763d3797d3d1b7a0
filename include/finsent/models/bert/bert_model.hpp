// BERT encoder modules, one per Transformers class, registered under Transformers' attribute names.
#pragma once

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/models/token_layout.hpp"
#include "finsent/ops/activation.hpp"

namespace finsent::models {

// transformers BertEmbeddings: word + token type + position embeddings, LayerNorm, dropout. The
// families sharing it change only its width (ELECTRA's embedding_size), the position ids
// (RoBERTa's, MPNet's) and whether token types exist (type_vocab_size 0: MPNet has none).
class BertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit BertEmbeddingsImpl(const ModelConfig& c) : BertEmbeddingsImpl(c, c.hidden_size) {}
  // Embeddings `dim` wide (ELECTRA's embedding_size; hidden_size otherwise), the position table's
  // row `position_padding_idx` kept at zero when it is >= 0 (RoBERTa's padding_idx).
  BertEmbeddingsImpl(const ModelConfig& c, int64_t dim, int64_t position_padding_idx = -1);
  // input_ids, token_type_ids, position_ids: [b, s] int64 -> [b, s, dim]. Undefined
  // token_type_ids: all type 0; undefined position_ids: 0, 1, ... s-1 in every row.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids,
                        const torch::Tensor& position_ids = {});
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr},
      token_type_embeddings{nullptr};  // token_type_embeddings: null without token types
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertEmbeddings);

// transformers BertSelfAttention: query/key/value projections and masked softmax attention.
class BertSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit BertSelfAttentionImpl(const ModelConfig& c);
  // x: hidden states as `layout` has them ([b, s, hidden] or packed [tokens, hidden]) -> the
  // context, laid out alike
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
  int64_t heads;
  double dropout;
};
TORCH_MODULE(BertSelfAttention);

// transformers BertSelfOutput: dense, dropout, residual, LayerNorm.
class BertSelfOutputImpl : public torch::nn::Module {
 public:
  explicit BertSelfOutputImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& context, const torch::Tensor& residual);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertSelfOutput);

// transformers BertAttention: self-attention followed by its output block.
class BertAttentionImpl : public torch::nn::Module {
 public:
  explicit BertAttentionImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout);
  BertSelfAttention self{nullptr};
  BertSelfOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

// transformers BertIntermediate: dense up-projection and activation.
class BertIntermediateImpl : public torch::nn::Module {
 public:
  explicit BertIntermediateImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear dense{nullptr};
  ops::Activation activation;  // hidden_act / activation
};
TORCH_MODULE(BertIntermediate);

// transformers BertOutput: dense down-projection, dropout, residual, LayerNorm.
class BertOutputImpl : public torch::nn::Module {
 public:
  explicit BertOutputImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& residual);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(BertOutput);

// transformers BertLayer: attention then feed-forward, each post-LayerNorm.
class BertLayerImpl : public torch::nn::Module {
 public:
  explicit BertLayerImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout);
  BertAttention attention{nullptr};
  BertIntermediate intermediate{nullptr};
  BertOutput output{nullptr};
};
TORCH_MODULE(BertLayer);

// transformers BertEncoder: the stack of layers ("layer.0", "layer.1", ...).
class BertEncoderImpl : public torch::nn::Module {
 public:
  explicit BertEncoderImpl(const ModelConfig& c);
  torch::Tensor forward(torch::Tensor x, const TokenLayout& layout);
  // embeddings [b, s, hidden] with attention_mask [b, s] -> last_hidden_state [b, s, hidden],
  // through a TokenLayout that packs the real tokens in training.
  torch::Tensor forward(const torch::Tensor& embeddings, const torch::Tensor& attention_mask,
                        int64_t heads);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(BertEncoder);

// transformers BertPooler: tanh(dense(hidden[:, 0])).
class BertPoolerImpl : public torch::nn::Module {
 public:
  explicit BertPoolerImpl(const ModelConfig& c);
  // [b, s, hidden] -> [b, hidden]
  torch::Tensor forward(const torch::Tensor& last_hidden_state);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(BertPooler);

// transformers BertModel (with its pooler): "embeddings", "encoder", "pooler".
class BertModelImpl : public EncoderImpl {
 public:
  explicit BertModelImpl(ModelConfig c);
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids) override;
  torch::Tensor pool(const torch::Tensor& last_hidden_state) override {
    return pooler->forward(last_hidden_state);
  }
  bool has_pooler() const override { return true; }
  std::vector<torch::Tensor> pooler_parameters() const override { return pooler->parameters(); }
  const ModelConfig& config() const override { return config_; }
  BertEmbeddings embeddings{nullptr};
  BertEncoder encoder{nullptr};
  BertPooler pooler{nullptr};

 private:
  ModelConfig config_;
};
TORCH_MODULE(BertModel);

}  // namespace finsent::models
