// The model_type registry and the checks and initialization both encoders share.
#include "finsent/models/encoder.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/bert.hpp"
#include "finsent/models/distilbert.hpp"
#include "init.hpp"

namespace finsent::models {

torch::Tensor EncoderImpl::pool(const torch::Tensor&) {
  throw ConfigError("model_type \"" + config().model_type + "\" has no pooler");
}

namespace {
std::shared_ptr<EncoderImpl> build_bert(const ModelConfig& c) {
  return std::make_shared<BertModelImpl>(c);
}
std::shared_ptr<EncoderImpl> build_distilbert(const ModelConfig& c) {
  return std::make_shared<DistilBertModelImpl>(c);
}

// A required probe: `name`'s shape is `shape`, each dimension from the config field beside it.
ShapeProbe pinned(std::string name, std::vector<int64_t> shape, std::vector<std::string> fields) {
  ShapeProbe probe;
  probe.name = std::move(name);
  probe.shape = std::move(shape);
  probe.fields = std::move(fields);
  return probe;
}

// BertModel's sizes: the embeddings pin vocab_size, hidden_size, max_position_embeddings and
// type_vocab_size, the first block's intermediate dense intermediate_size.
FamilyShapes bert_shapes(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  FamilyShapes s;
  s.probes = {
      pinned("embeddings.word_embeddings.weight", {c.vocab_size, h}, {"vocab_size", "hidden_size"}),
      pinned("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
             {"max_position_embeddings", "hidden_size"}),
      pinned("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h},
             {"type_vocab_size", "hidden_size"}),
      pinned("encoder.layer.0.intermediate.dense.weight", {c.intermediate_size, h},
             {"intermediate_size", "hidden_size"})};
  s.layer_prefix = "encoder.layer.";
  s.layers_field = "num_hidden_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

// DistilBertModel's sizes, under DistilBertConfig's field names.
FamilyShapes distilbert_shapes(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  FamilyShapes s;
  s.probes = {pinned("embeddings.word_embeddings.weight", {c.vocab_size, h}, {"vocab_size", "dim"}),
              pinned("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                     {"max_position_embeddings", "dim"}),
              pinned("transformer.layer.0.ffn.lin1.weight", {c.intermediate_size, h},
                     {"hidden_dim", "dim"})};
  s.layer_prefix = "transformer.layer.";
  s.layers_field = "n_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

const std::vector<ModelFamily>& families() {
  static const std::vector<ModelFamily> all = {
      {"bert", "bert", "BertForSequenceClassification", "BertModel", "bert", &build_bert,
       &bert_shapes},
      {"distilbert", "distilbert", "DistilBertForSequenceClassification", "DistilBertModel",
       "distilbert", &build_distilbert, &distilbert_shapes},
  };
  return all;
}
}  // namespace

const ModelFamily& model_family(const std::string& model_type) {
  for (const auto& f : families())
    if (f.model_type == model_type) return f;
  throw ConfigError("model_type \"" + model_type +
                    "\" is not supported (finsent supports \"bert\" and \"distilbert\")");
}

Encoder make_encoder(const ModelConfig& config) {
  Encoder encoder(model_family(config.model_type).build(config));
  detail::init_weights(*encoder, config.initializer_range);
  return encoder;
}

namespace detail {
void check_encoder_inputs(const ModelConfig& config, const torch::Tensor& input_ids,
                          const torch::Tensor& attention_mask) {
  if (input_ids.dim() != 2 || input_ids.scalar_type() != torch::kLong)
    throw InputError("input_ids must be a [batch, seq] int64 tensor");
  if (!attention_mask.defined() || attention_mask.sizes() != input_ids.sizes())
    throw InputError("attention_mask must have the shape of input_ids");
  if (input_ids.size(1) > config.max_position_embeddings)
    throw InputError("a sequence of " + std::to_string(input_ids.size(1)) +
                     " tokens is longer than the model's max_position_embeddings (" +
                     std::to_string(config.max_position_embeddings) + ")");
  if (input_ids.numel() > 0) {
    auto [lo, hi] = torch::aminmax(input_ids);
    if (lo.item<int64_t>() < 0 || hi.item<int64_t>() >= config.vocab_size)
      throw InputError("token ids must be in 0.." + std::to_string(config.vocab_size - 1) +
                       " (the tokenizer's vocabulary does not match the model's)");
  }
}
}  // namespace detail

}  // namespace finsent::models
