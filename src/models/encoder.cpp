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

const std::vector<ModelFamily>& families() {
  static const std::vector<ModelFamily> all = {
      {"bert", "bert", "BertForSequenceClassification", "BertModel", "bert", &build_bert},
      {"distilbert", "distilbert", "DistilBertForSequenceClassification", "DistilBertModel",
       "distilbert", &build_distilbert},
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
