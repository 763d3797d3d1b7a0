// DistilBERT encoder modules, one per Transformers class, registered under Transformers' attribute
// names.
#pragma once

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/models/token_layout.hpp"
#include "finsent/ops/activation.hpp"

namespace finsent::models {

// transformers DistilBERT Embeddings: word + position embeddings, LayerNorm, dropout.
class DistilBertEmbeddingsImpl : public torch::nn::Module {
 public:
  explicit DistilBertEmbeddingsImpl(const ModelConfig& c);
  // input_ids: [b, s] int64 -> [b, s, dim]
  torch::Tensor forward(const torch::Tensor& input_ids);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};
  torch::nn::Dropout dropout{nullptr};
};
TORCH_MODULE(DistilBertEmbeddings);

// transformers MultiHeadSelfAttention: q_lin/k_lin/v_lin, masked softmax attention, out_lin.
class MultiHeadSelfAttentionImpl : public torch::nn::Module {
 public:
  explicit MultiHeadSelfAttentionImpl(const ModelConfig& c);
  // x: hidden states as `layout` has them ([b, s, dim] or packed [tokens, dim]) -> the attention
  // output, laid out alike
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout);
  torch::nn::Linear q_lin{nullptr}, k_lin{nullptr}, v_lin{nullptr}, out_lin{nullptr};
  int64_t heads;
  double dropout;
};
TORCH_MODULE(MultiHeadSelfAttention);

// transformers FFN: lin1, activation, lin2, dropout.
class FFNImpl : public torch::nn::Module {
 public:
  explicit FFNImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear lin1{nullptr}, lin2{nullptr};
  torch::nn::Dropout dropout{nullptr};
  ops::Activation activation;  // hidden_act / activation
};
TORCH_MODULE(FFN);

// transformers TransformerBlock: attention + sa_layer_norm, ffn + output_layer_norm (post-LN).
class TransformerBlockImpl : public torch::nn::Module {
 public:
  explicit TransformerBlockImpl(const ModelConfig& c);
  torch::Tensor forward(const torch::Tensor& x, const TokenLayout& layout);
  MultiHeadSelfAttention attention{nullptr};
  torch::nn::LayerNorm sa_layer_norm{nullptr};
  FFN ffn{nullptr};
  torch::nn::LayerNorm output_layer_norm{nullptr};
};
TORCH_MODULE(TransformerBlock);

// transformers Transformer: the stack of blocks ("layer.0", "layer.1", ...).
class TransformerImpl : public torch::nn::Module {
 public:
  explicit TransformerImpl(const ModelConfig& c);
  torch::Tensor forward(torch::Tensor x, const TokenLayout& layout);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(Transformer);

// transformers DistilBertModel: "embeddings", "transformer". It has no pooler.
class DistilBertModelImpl : public EncoderImpl {
 public:
  explicit DistilBertModelImpl(ModelConfig c);
  // token_type_ids is ignored: DistilBERT has no token type embeddings.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids) override;
  const ModelConfig& config() const override { return config_; }
  DistilBertEmbeddings embeddings{nullptr};
  Transformer transformer{nullptr};

 private:
  ModelConfig config_;
};
TORCH_MODULE(DistilBertModel);

}  // namespace finsent::models
