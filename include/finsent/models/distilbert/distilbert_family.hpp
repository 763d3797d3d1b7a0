// The DistilBERT family (model_type "distilbert"): its config.json names and own fields, the head
// of DistilBertForSequenceClassification, and its registry entry.
#pragma once

#include "finsent/models/config.hpp"
#include "finsent/models/family.hpp"
#include "finsent/models/heads.hpp"

namespace finsent::models {

// DistilBertConfig's fields beyond ModelConfig's.
struct DistilBertFields {
  double seq_classif_dropout = 0.2;
  bool sinusoidal_pos_embds = false;  // the table is in the checkpoint either way
};

// The head of transformers DistilBertForSequenceClassification on the [CLS] hidden state:
// pre_classifier, ReLU, dropout(seq_classif_dropout), classifier.
class DistilBertClassificationHeadImpl : public HeadImpl {
 public:
  DistilBertClassificationHeadImpl(const ModelConfig& c, int64_t num_labels);
  torch::nn::Linear& classifier() override { return classifier_; }
  torch::nn::Linear& input_projection() override { return pre_classifier; }
  torch::nn::Linear pre_classifier{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear classifier_{nullptr};

 protected:
  torch::Tensor project(const torch::Tensor& cls) override;
};

// The registry's entry (src/models/registry.cpp).
ModelFamily distilbert_family();

}  // namespace finsent::models
