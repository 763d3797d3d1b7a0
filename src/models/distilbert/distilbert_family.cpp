// The DistilBERT family: DistilBertConfig's names, defaults and own fields, DistilBertModel's shape
// probes, the head of DistilBertForSequenceClassification, and the linear head stored through
// pre_classifier.
#include "finsent/models/distilbert/distilbert_family.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/distilbert/distilbert_model.hpp"
#include "finsent/models/linear_fold.hpp"
#include "finsent/ops/dropout.hpp"

namespace finsent::models {
namespace {

namespace nn = torch::nn;
using nlohmann::json;

// DistilBertConfig's names of the shared fields. It has no token types and no layer_norm_eps
// (Transformers fixes it at 1e-12, ModelConfig's default).
ConfigFieldNames field_names() {
  ConfigFieldNames n;
  n.hidden_size = "dim";
  n.num_hidden_layers = "n_layers";
  n.num_attention_heads = "n_heads";
  n.intermediate_size = "hidden_dim";
  n.hidden_act = "activation";
  n.hidden_dropout_prob = "dropout";
  n.attention_probs_dropout_prob = "attention_dropout";
  n.type_vocab_size = "";
  n.layer_norm_eps = "";
  return n;
}

// DistilBertConfig's defaults where they differ from BertConfig's.
void defaults(ModelConfig& c) {
  c.num_hidden_layers = 6;
  c.type_vocab_size = 0;
}

void read_fields(const ConfigReader& r, ModelConfig& c) {
  DistilBertFields& f = c.mutable_fields<DistilBertFields>();
  r.number("seq_classif_dropout", f.seq_classif_dropout);
  r.boolean("sinusoidal_pos_embds", f.sinusoidal_pos_embds);
}

void validate_fields(const ModelConfig& c, const ConfigChecks& check) {
  check.probability("seq_classif_dropout", c.fields<DistilBertFields>().seq_classif_dropout);
}

void write_fields(const ModelConfig& c, json& doc) {
  const DistilBertFields& f = c.fields<DistilBertFields>();
  doc["seq_classif_dropout"] = f.seq_classif_dropout;
  doc["sinusoidal_pos_embds"] = f.sinusoidal_pos_embds;
}

// DistilBertModel's sizes, under DistilBertConfig's field names.
FamilyShapes shapes(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  FamilyShapes s;
  s.probes = {
      pinned_probe("embeddings.word_embeddings.weight", {c.vocab_size, h}, {"vocab_size", "dim"}),
      pinned_probe("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                   {"max_position_embeddings", "dim"}),
      pinned_probe("transformer.layer.0.ffn.lin1.weight", {c.intermediate_size, h},
                   {"hidden_dim", "dim"})};
  s.layer_prefix = "transformer.layer.";
  s.layers_field = "n_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

// The linear head as DistilBertForSequenceClassification's: pre_classifier = identity with bias c,
// c_i > |x_i| for every [CLS] vector x (the last block's output_layer_norm bounds it), so
// ReLU(x + c) = x + c; the classifier bias becomes b - W c.
void fold(const ModelConfig& c, std::map<std::string, torch::Tensor>& state) {
  const std::string norm = "distilbert.transformer.layer." +
                           std::to_string(c.num_hidden_layers - 1) + ".output_layer_norm";
  const torch::Tensor bound =
      layer_norm_output_bound(state.at(norm + ".weight"), state.at(norm + ".bias"), c.hidden_size);
  const torch::Tensor w = state.at("classifier.weight").to(torch::kDouble);
  const torch::Tensor b = state.at("classifier.bias").to(torch::kDouble);
  state["pre_classifier.weight"] = torch::eye(c.hidden_size, torch::kFloat);
  state["pre_classifier.bias"] = bound.to(torch::kFloat).contiguous();
  state["classifier.bias"] = (b - torch::mv(w, bound)).to(torch::kFloat).contiguous();
}

std::pair<torch::Tensor, torch::Tensor> unfold(
    const ModelConfig& c, const torch::OrderedDict<std::string, torch::Tensor>& params) {
  const torch::Tensor p = params["pre_classifier.weight"].to(torch::kDouble);
  const torch::Tensor shift = params["pre_classifier.bias"].to(torch::kDouble);
  if (!torch::equal(p, torch::eye(c.hidden_size, torch::kDouble)) ||
      shift.min().item<double>() <= 0)
    throw WeightsError("config.json marks a folded linear head but pre_classifier is not one");
  const torch::Tensor w = params["classifier.weight"].to(torch::kDouble);
  return {w, params["classifier.bias"].to(torch::kDouble) + torch::mv(w, shift)};
}

}  // namespace

DistilBertClassificationHeadImpl::DistilBertClassificationHeadImpl(const ModelConfig& c,
                                                                   int64_t num_labels)
    : HeadImpl("distilbert", HeadInput::FirstToken) {
  pre_classifier = register_module("pre_classifier", nn::Linear(c.hidden_size, c.hidden_size));
  dropout =
      register_module("dropout", nn::Dropout(c.fields<DistilBertFields>().seq_classif_dropout));
  classifier_ = register_module("classifier", nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DistilBertClassificationHeadImpl::project(const torch::Tensor& cls) {
  torch::Tensor h = torch::relu(pre_classifier(cls));
  return classifier_(ops::dropout(dropout, h));
}

ModelFamily distilbert_family() {
  ModelFamily f;
  f.model_types = {{"distilbert", "DistilBertForSequenceClassification", "DistilBertModel"}};
  f.prefix = "distilbert";
  f.config.names = field_names();
  f.config.defaults = &defaults;
  f.config.read = &read_fields;
  f.config.validate = &validate_fields;
  f.config.write = &write_fields;
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<DistilBertModelImpl>(c);
  };
  f.shapes = &shapes;
  f.head = {"distilbert",
            {"pre_classifier", "classifier"},
            "classifier",
            [](const ModelConfig& c, double) {
              return std::make_shared<DistilBertClassificationHeadImpl>(c, c.num_labels());
            }};
  f.linear_fold = {&fold, &unfold};
  return f;
}

}  // namespace finsent::models
