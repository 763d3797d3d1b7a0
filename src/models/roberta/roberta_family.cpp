// The RoBERTa family: RobertaConfig's defaults, RobertaModel's shape probes and length limit, and
// RobertaClassificationHead.
#include "finsent/models/roberta/roberta_family.hpp"

#include "finsent/models/bert/bert_family.hpp"
#include "finsent/models/dense_classification_head.hpp"
#include "finsent/models/roberta/roberta_model.hpp"

namespace finsent::models {
namespace {

// RobertaConfig's defaults where they differ from BertConfig's (XLMRobertaConfig and
// CamembertConfig keep BERT's vocab_size).
void defaults(ModelConfig& c) {
  c.pad_token_id = 1;
  if (c.model_type == "roberta") c.vocab_size = 50265;
}

// Positions run from pad_token_id + 1, so the table must hold more than pad_token_id + 1 rows.
void validate(const ModelConfig& c, const ConfigChecks& check) {
  validate_bert_fields(c, check);
  if (c.pad_token_id < 0 || c.max_position_embeddings <= c.pad_token_id + 1)
    check.fail("max_position_embeddings",
               std::to_string(c.max_position_embeddings) +
                   " leaves no position for tokens after padding_idx (pad_token_id " +
                   std::to_string(c.pad_token_id) + ")");
}

}  // namespace

ModelFamily roberta_family() {
  ModelFamily f;
  f.model_types = {
      {"roberta", "RobertaForSequenceClassification", "RobertaModel"},
      {"xlm-roberta", "XLMRobertaForSequenceClassification", "XLMRobertaModel"},
      {"camembert", "CamembertForSequenceClassification", "CamembertModel"},
  };
  f.prefix = "roberta";
  f.config.defaults = &defaults;
  f.config.read = &read_bert_fields;
  f.config.validate = &validate;
  f.config.write = &write_bert_fields;
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<RobertaModelImpl>(c);
  };
  f.shapes = &bert_model_shapes;
  f.head = dense_head_kind("roberta", DenseHeadActivation::Tanh, &bert_classifier_dropout);
  // RobertaModel checkpoints carry a pooler that *ForSequenceClassification does not use: reported
  // as unused, as Transformers does.
  f.linear_fold = dense_head_linear_fold("roberta", DenseHeadActivation::Tanh);
  f.max_length = [](const ModelConfig& c) {
    return c.max_position_embeddings - c.pad_token_id - 1;
  };
  return f;
}

}  // namespace finsent::models
