// The BERT family: BertConfig's own fields, BertModel's shape probes, the head of
// BertForSequenceClassification, and the linear head stored through the pooler.
#include "finsent/models/bert/bert_family.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/bert/bert_model.hpp"
#include "finsent/models/linear_fold.hpp"

namespace finsent::models {

using nlohmann::json;

void BertFields::read(const ConfigReader& r) {
  r.number("classifier_dropout", classifier_dropout);
  std::string position_type = "absolute";
  r.string("position_embedding_type", position_type);
  if (position_type != "absolute")
    r.fail("position_embedding_type",
           "\"" + position_type + "\" is not supported (only \"absolute\")");
}

void BertFields::validate(const ConfigChecks& check) const {
  if (classifier_dropout) check.probability("classifier_dropout", *classifier_dropout);
}

void BertFields::write(json& doc) const {
  doc["classifier_dropout"] = classifier_dropout ? json(*classifier_dropout) : json(nullptr);
}

void read_bert_fields(const ConfigReader& r, ModelConfig& c) {
  c.mutable_fields<BertFields>().read(r);
}

void validate_bert_fields(const ModelConfig& c, const ConfigChecks& check) {
  c.fields<BertFields>().validate(check);
}

void write_bert_fields(const ModelConfig& c, json& doc) {
  c.fields<BertFields>().write(doc);
}

FamilyShapes bert_model_shapes(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  FamilyShapes s;
  s.probes = {pinned_probe("embeddings.word_embeddings.weight", {c.vocab_size, h},
                           {"vocab_size", "hidden_size"}),
              pinned_probe("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                           {"max_position_embeddings", "hidden_size"}),
              pinned_probe("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h},
                           {"type_vocab_size", "hidden_size"}),
              pinned_probe("encoder.layer.0.intermediate.dense.weight", {c.intermediate_size, h},
                           {"intermediate_size", "hidden_size"})};
  s.layer_prefix = "encoder.layer.";
  s.layers_field = "num_hidden_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

namespace {

// The linear head as BertForSequenceClassification's: the pooler becomes eps I with zero bias
// (tanh(eps x) = eps x to float precision, x bounded by the last LayerNorm), the classifier
// weight W / eps (exact: eps is a power of two).
void fold(const ModelConfig& c, std::map<std::string, torch::Tensor>& state) {
  const std::string norm =
      "bert.encoder.layer." + std::to_string(c.num_hidden_layers - 1) + ".output.LayerNorm";
  const torch::Tensor bound =
      layer_norm_output_bound(state.at(norm + ".weight"), state.at(norm + ".bias"), c.hidden_size);
  const double eps = tanh_identity_scale(bound.max().item<double>());
  const torch::Tensor w = state.at("classifier.weight").to(torch::kDouble);
  state["bert.pooler.dense.weight"] =
      (torch::eye(c.hidden_size, torch::kDouble) * eps).to(torch::kFloat).contiguous();
  state["bert.pooler.dense.bias"] = torch::zeros({c.hidden_size}, torch::kFloat);
  state["classifier.weight"] = (w / eps).to(torch::kFloat).contiguous();
}

std::pair<torch::Tensor, torch::Tensor> unfold(
    const ModelConfig& c, const torch::OrderedDict<std::string, torch::Tensor>& params) {
  const torch::Tensor p = params["bert.pooler.dense.weight"].to(torch::kDouble);
  const double eps = p[0][0].item<double>();
  if (!(eps > 0) || !torch::equal(p, torch::eye(c.hidden_size, torch::kDouble) * eps) ||
      params["bert.pooler.dense.bias"].abs().max().item<double>() != 0)
    throw WeightsError("config.json marks a folded linear head but the pooler is not one");
  return {params["classifier.weight"].to(torch::kDouble) * eps,
          params["classifier.bias"].to(torch::kDouble)};
}

}  // namespace

double bert_classifier_dropout(const ModelConfig& c) {
  return c.fields<BertFields>().classifier_dropout.value_or(c.hidden_dropout_prob);
}

ModelFamily bert_family() {
  ModelFamily f;
  f.model_types = {{"bert", "BertForSequenceClassification", "BertModel"}};
  f.prefix = "bert";
  f.config.read = &read_bert_fields;
  f.config.validate = &validate_bert_fields;
  f.config.write = &write_bert_fields;
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<BertModelImpl>(c);
  };
  f.shapes = &bert_model_shapes;
  f.head = {"bert", {"classifier"}, "classifier", [](const ModelConfig& c, double) {
              return std::make_shared<BertClassificationHeadImpl>(c, c.num_labels());
            }};
  f.optional_weights = {"pooler."};
  f.linear_fold = {&fold, &unfold};
  return f;
}

}  // namespace finsent::models
