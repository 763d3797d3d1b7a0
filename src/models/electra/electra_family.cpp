// The ELECTRA family: ElectraConfig's defaults and fields, ElectraModel's shape probes and
// ElectraClassificationHead.
#include "finsent/models/electra/electra_family.hpp"

#include "finsent/models/bert/bert_family.hpp"
#include "finsent/models/dense_classification_head.hpp"
#include "finsent/models/electra/electra_model.hpp"

namespace finsent::models {
namespace {

using nlohmann::json;

// ElectraConfig's defaults where they differ from BertConfig's (electra-small's sizes).
void defaults(ModelConfig& c) {
  c.hidden_size = 256;
  c.num_attention_heads = 4;
  c.intermediate_size = 1024;
}

// classifier_dropout and position_embedding_type as BertConfig reads them, and embedding_size.
void read_fields(const ConfigReader& r, ModelConfig& c) {
  ElectraFields& f = c.mutable_fields<ElectraFields>();
  BertFields bert;
  bert.read(r);
  f.classifier_dropout = bert.classifier_dropout;
  r.integer("embedding_size", f.embedding_size);
}

void validate_fields(const ModelConfig& c, const ConfigChecks& check) {
  const ElectraFields& f = c.fields<ElectraFields>();
  BertFields{f.classifier_dropout}.validate(check);
  check.positive("embedding_size", f.embedding_size);
}

void write_fields(const ModelConfig& c, json& doc) {
  const ElectraFields& f = c.fields<ElectraFields>();
  BertFields{f.classifier_dropout}.write(doc);
  doc["embedding_size"] = f.embedding_size;
}

// ElectraModel's sizes: the embeddings (embedding_size wide) pin vocab_size,
// max_position_embeddings, type_vocab_size and embedding_size, the projection (if any) and the
// first block hidden_size and intermediate_size.
FamilyShapes shapes(const ModelConfig& c) {
  const int64_t e = c.fields<ElectraFields>().embedding_size, h = c.hidden_size;
  FamilyShapes s;
  s.probes = {pinned_probe("embeddings.word_embeddings.weight", {c.vocab_size, e},
                           {"vocab_size", "embedding_size"}),
              pinned_probe("embeddings.position_embeddings.weight", {c.max_position_embeddings, e},
                           {"max_position_embeddings", "embedding_size"}),
              pinned_probe("embeddings.token_type_embeddings.weight", {c.type_vocab_size, e},
                           {"type_vocab_size", "embedding_size"}),
              pinned_probe("encoder.layer.0.intermediate.dense.weight", {c.intermediate_size, h},
                           {"intermediate_size", "hidden_size"})};
  if (e != h)
    s.probes.push_back(
        pinned_probe("embeddings_project.weight", {h, e}, {"hidden_size", "embedding_size"}));
  s.layer_prefix = "encoder.layer.";
  s.layers_field = "num_hidden_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

double classifier_dropout(const ModelConfig& c) {
  return c.fields<ElectraFields>().classifier_dropout.value_or(c.hidden_dropout_prob);
}

}  // namespace

ModelFamily electra_family() {
  ModelFamily f;
  f.model_types = {{"electra", "ElectraForSequenceClassification", "ElectraModel"}};
  f.prefix = "electra";
  f.config.defaults = &defaults;
  f.config.read = &read_fields;
  f.config.validate = &validate_fields;
  f.config.write = &write_fields;
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<ElectraModelImpl>(c);
  };
  f.shapes = &shapes;
  f.head = dense_head_kind("electra", DenseHeadActivation::Gelu, &classifier_dropout);
  f.linear_fold = dense_head_linear_fold("electra", DenseHeadActivation::Gelu);
  return f;
}

}  // namespace finsent::models
