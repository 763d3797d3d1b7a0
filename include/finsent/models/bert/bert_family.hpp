// The BERT family (model_type "bert": bert-base-*, MiniLM, FinBERT): its own config.json fields,
// the head of BertForSequenceClassification, and its registry entry.
#pragma once

#include <optional>

#include "finsent/models/config.hpp"
#include "finsent/models/family.hpp"
#include "finsent/models/heads.hpp"

namespace finsent::models {

// BertConfig's fields beyond ModelConfig's.
struct BertFields {
  std::optional<double> classifier_dropout;  // null means hidden_dropout_prob
};

// The dropout before BertForSequenceClassification's classifier: classifier_dropout, else
// hidden_dropout_prob.
double bert_classifier_dropout(const ModelConfig& c);

// The dropout + classifier of transformers BertForSequenceClassification, on the pooler output
// (the pooler is BertModel's).
class BertClassificationHeadImpl : public DropoutLinearHeadImpl {
 public:
  BertClassificationHeadImpl(const ModelConfig& c, int64_t num_labels)
      : DropoutLinearHeadImpl("bert", HeadInput::Pooler, c, num_labels, bert_classifier_dropout(c),
                              "classifier") {}
};

// The registry's entry (src/models/registry.cpp).
ModelFamily bert_family();

}  // namespace finsent::models
