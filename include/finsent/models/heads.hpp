// Sequence-classification heads on an encoder's output, under Transformers' weight names: the
// interface every head implements, and the family-independent heads (the notebook's linear head,
// mean pooling). A family's Transformers head sits in its folder (models/<family>/).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/config.hpp"

namespace finsent::models {

// The family-independent heads' names, as --head gives them.
inline constexpr const char* kLinearHead = "linear";
inline constexpr const char* kMeanHead = "mean";

// What a head reads from the encoder's last hidden states (SequenceClassifierImpl::features).
enum class HeadInput {
  FirstToken,  // the first position ([CLS], <s>): last_hidden_state[:, 0]
  Pooler,      // the encoder's pooler on the first position (EncoderImpl::pool)
  MeanTokens,  // the mean over the real tokens (padding excluded)
};

// A head: features [batch, hidden] -> logits [batch, num_labels]. Its children carry the names
// Transformers gives them directly on the *ForSequenceClassification model ("classifier", ...).
class HeadImpl : public torch::nn::Module {
 public:
  // Standardizes the features when asked (standardize_inputs), then runs the head's layers.
  torch::Tensor forward(const torch::Tensor& features);
  // Its name as --head gives it: "linear", "mean", or a family's ("bert", "distilbert", ...).
  const std::string& name() const { return name_; }
  HeadInput input() const { return input_; }
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
  HeadImpl(std::string name, HeadInput input) : name_(std::move(name)), input_(input) {}
  // The head's layers on (possibly standardized) features.
  virtual torch::Tensor project(const torch::Tensor& features) = 0;

 private:
  std::string name_;
  HeadInput input_;
  torch::Tensor input_mean_, input_scale_;
};
TORCH_MODULE(Head);

// input_projection()'s float32 (weight, bias) with the head's input standardization folded in
// (computed in double): W / scale and b - (W / scale) mean. On raw features it gives in eval mode
// what the head gives on standardized ones. The plain weight and bias when nothing is standardized.
std::pair<torch::Tensor, torch::Tensor> folded_input_projection(HeadImpl& head);

// dropout(p) + one Linear [hidden -> num_labels] registered under `projection`.
class DropoutLinearHeadImpl : public HeadImpl {
 public:
  DropoutLinearHeadImpl(std::string name, HeadInput input, const ModelConfig& c, int64_t num_labels,
                        double dropout_p, const std::string& projection);
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};

 protected:
  torch::Tensor project(const torch::Tensor& features) override;
};

// The notebook's head (no Transformers class): dropout(p) + Linear on the [CLS] hidden state.
class LinearHeadImpl : public DropoutLinearHeadImpl {
 public:
  LinearHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p)
      : DropoutLinearHeadImpl(kLinearHead, HeadInput::FirstToken, c, num_labels, dropout_p,
                              "classifier") {}
};

// The mean-pooling head (no Transformers class): dropout(p) + Linear on the mean-pooled hidden
// states. Its projection is named "mean_classifier" so that Transformers, whose classes pool [CLS],
// reports it as an unknown weight and its classifier as newly initialized instead of silently
// loading it.
class MeanPoolingHeadImpl : public DropoutLinearHeadImpl {
 public:
  MeanPoolingHeadImpl(const ModelConfig& c, int64_t num_labels, double dropout_p)
      : DropoutLinearHeadImpl(kMeanHead, HeadInput::MeanTokens, c, num_labels, dropout_p,
                              "mean_classifier") {}
};

// A head --head can name: how to make one, and where its tensors sit in a checkpoint.
struct HeadKind {
  std::string name;  // "linear", "mean", "bert", ...
  // Top-level module names of its tensors ({"pre_classifier", "classifier"}): a checkpoint
  // holding tensors under one of them holds (part of) such a head.
  std::vector<std::string> tensor_roots;
  // Its final projection's name ("classifier", "classifier.out_proj"): rows are the labels.
  std::string projection = "classifier";
  // A head for config.num_labels() labels, not yet initialized (make_head does that).
  // `linear_dropout` is the dropout of the notebook's heads (linear, mean); family heads take
  // theirs from config.json. Throws ConfigError for values it cannot use.
  std::function<std::shared_ptr<HeadImpl>(const ModelConfig&, double linear_dropout)> make;
};

// The family-independent heads: linear and mean.
const HeadKind& linear_head_kind();
const HeadKind& mean_head_kind();

// A head of `kind` for config.num_labels() labels, initialized as Transformers initializes new
// heads: weights ~ N(0, initializer_range), biases 0. (make_head by name: registry.hpp.)
Head make_head(const HeadKind& kind, const ModelConfig& config, double linear_dropout);

}  // namespace finsent::models
