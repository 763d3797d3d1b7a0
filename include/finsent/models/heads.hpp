// Sequence-classification heads on an encoder's output, under Transformers' weight names.
#pragma once

#include <string>

#include <torch/torch.h>

#include "finsent/models/config.hpp"

namespace finsent::models {

enum class HeadType {
  Bert,        // BertForSequenceClassification: pooler (part of the encoder) + dropout + classifier
  DistilBert,  // DistilBertForSequenceClassification: pre_classifier + ReLU + dropout + classifier
  Linear,      // the notebook's head: dropout + classifier on the [CLS] hidden state
  Mean,        // sentence-transformers' pooling: dropout + classifier on the mean of the hidden
               // states over the real tokens (what all-MiniLM-L6-v2 and its kin were trained for)
};

// "bert" | "distilbert" | "linear" | "mean"
std::string head_name(HeadType type);
// Parses head_name's strings; throws ConfigError otherwise ("auto" is resolved by the loader).
HeadType parse_head(const std::string& name);

// A head: features [batch, hidden] -> logits [batch, num_labels]. Its children carry the names
// Transformers gives them directly on the *ForSequenceClassification model ("classifier", ...).
class HeadImpl : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const torch::Tensor& features) = 0;
  virtual HeadType type() const = 0;
  // The final projection [num_labels, hidden] (+ bias).
  virtual torch::nn::Linear& classifier() = 0;
};
TORCH_MODULE(Head);

// dropout(p) + one Linear on precomputed features, the projection registered under `name`.
class DropoutLinearHeadImpl : public HeadImpl {
 public:
  torch::Tensor forward(const torch::Tensor& features) override;
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};

 protected:
  DropoutLinearHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p,
                        const std::string& name);
};

// The dropout + classifier of transformers BertForSequenceClassification (the pooler is the
// encoder's).
class BertClassificationHeadImpl : public DropoutLinearHeadImpl {
 public:
  BertClassificationHeadImpl(const ModelConfig& c, int64_t num_labels)
      : DropoutLinearHeadImpl(c, num_labels, c.bert_classifier_dropout(), "classifier") {}
  HeadType type() const override { return HeadType::Bert; }
};

// The head of transformers DistilBertForSequenceClassification.
class DistilBertClassificationHeadImpl : public HeadImpl {
 public:
  DistilBertClassificationHeadImpl(const ModelConfig& c, int64_t num_labels);
  torch::Tensor forward(const torch::Tensor& cls) override;
  HeadType type() const override { return HeadType::DistilBert; }
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Linear pre_classifier{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};
};

// The notebook's head (no Transformers class): dropout(p) + Linear on the [CLS] hidden state.
class LinearHeadImpl : public DropoutLinearHeadImpl {
 public:
  LinearHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p)
      : DropoutLinearHeadImpl(c, num_labels, dropout_p, "classifier") {}
  HeadType type() const override { return HeadType::Linear; }
};

// The mean-pooling head (no Transformers class): dropout(p) + Linear on the mean-pooled hidden
// states. Its projection is named "mean_classifier" so that Transformers, whose classes pool [CLS],
// reports it as an unknown weight and its classifier as newly initialized instead of silently
// loading it.
class MeanPoolingHeadImpl : public DropoutLinearHeadImpl {
 public:
  MeanPoolingHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p)
      : DropoutLinearHeadImpl(c, num_labels, dropout_p, "mean_classifier") {}
  HeadType type() const override { return HeadType::Mean; }
};

// A head of `type` for config.num_labels() labels, initialized as Transformers initializes new
// heads: weights ~ N(0, initializer_range), biases 0. `linear_dropout` is used by Linear and Mean.
Head make_head(HeadType type, const ModelConfig& config, double linear_dropout);

}  // namespace finsent::models
