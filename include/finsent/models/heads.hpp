// Sequence-classification heads on an encoder's output, under Transformers' weight names.
#pragma once

#include <string>
#include <utility>

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
  // Standardizes the features when asked (standardize_inputs), then runs the head's layers.
  torch::Tensor forward(const torch::Tensor& features);
  virtual HeadType type() const = 0;
  // The final projection [num_labels, hidden] (+ bias).
  virtual torch::nn::Linear& classifier() = 0;
  // The first Linear the features meet, where an input standardization folds in.
  virtual torch::nn::Linear& input_projection() { return classifier(); }

  // From now on the features are standardized per dimension before everything else (dropout
  // included): (x - mean) / scale, as scikit-learn's StandardScaler does. mean and scale are
  // [hidden]; scale must be > 0. Not a parameter: save_pretrained folds it into
  // input_projection(), so a saved model is an ordinary head computing the same logits.
  void standardize_inputs(const torch::Tensor& mean, const torch::Tensor& scale);
  const torch::Tensor& input_mean() const { return input_mean_; }    // undefined when not set
  const torch::Tensor& input_scale() const { return input_scale_; }  // undefined when not set

 protected:
  // The head's layers on (possibly standardized) features.
  virtual torch::Tensor project(const torch::Tensor& features) = 0;

 private:
  torch::Tensor input_mean_, input_scale_;
};
TORCH_MODULE(Head);

// input_projection()'s float32 (weight, bias) with the head's input standardization folded in
// (computed in double): W / scale and b - (W / scale) mean. On raw features it gives in eval mode
// what the head gives on standardized ones. The plain weight and bias when nothing is standardized.
std::pair<torch::Tensor, torch::Tensor> folded_input_projection(HeadImpl& head);

// dropout(p) + one Linear on precomputed features, the projection registered under `name`.
class DropoutLinearHeadImpl : public HeadImpl {
 public:
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};

 protected:
  DropoutLinearHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p,
                        const std::string& name);
  torch::Tensor project(const torch::Tensor& features) override;
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
  HeadType type() const override { return HeadType::DistilBert; }
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Linear& input_projection() override { return pre_classifier; }
  torch::nn::Linear pre_classifier{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};

 protected:
  torch::Tensor project(const torch::Tensor& cls) override;
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
