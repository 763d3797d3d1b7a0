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

  // From config.json; position_embedding_type is refused unless "absolute".
  void read(const ConfigReader& r);
  void validate(const ConfigChecks& check) const;
  void write(nlohmann::json& doc) const;
};

// BertConfig's own fields (classifier_dropout; position_embedding_type, refused unless
// "absolute") in config.json: the schema functions of the BERT family and of the families whose
// configs add nothing else (RoBERTa).
void read_bert_fields(const ConfigReader& r, ModelConfig& c);
void validate_bert_fields(const ModelConfig& c, const ConfigChecks& check);
void write_bert_fields(const ModelConfig& c, nlohmann::json& doc);

// BertModel's sizes: the embeddings pin vocab_size, hidden_size, max_position_embeddings and
// type_vocab_size, the first block's intermediate dense intermediate_size (RoBERTa's alike).
FamilyShapes bert_model_shapes(const ModelConfig& c);

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
