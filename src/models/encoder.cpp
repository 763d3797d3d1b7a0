// What every encoder shares: building one through the registry, and the input checks.
#include "finsent/models/encoder.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/registry.hpp"
#include "init.hpp"

namespace finsent::models {

torch::Tensor EncoderImpl::pool(const torch::Tensor&) {
  throw ConfigError("model_type \"" + config().model_type + "\" has no pooler");
}

Encoder make_encoder(const ModelConfig& config) {
  Encoder encoder(model_family(config.model_type).build(config));
  detail::init_weights(*encoder, config.initializer_range);
  return encoder;
}

int64_t max_sequence_length(const ModelConfig& config) {
  const ModelFamily* family = find_model_family(config.model_type);
  return family && family->max_length ? family->max_length(config) : config.max_position_embeddings;
}

namespace detail {
void check_encoder_inputs(const ModelConfig& config, const torch::Tensor& input_ids,
                          const torch::Tensor& attention_mask,
                          const torch::Tensor& token_type_ids) {
  if (input_ids.dim() != 2 || input_ids.scalar_type() != torch::kLong)
    throw InputError("input_ids must be a [batch, seq] int64 tensor");
  if (!attention_mask.defined() || attention_mask.sizes() != input_ids.sizes())
    throw InputError("attention_mask must have the shape of input_ids");
  const int64_t limit = max_sequence_length(config);
  if (input_ids.size(1) > limit)
    throw InputError("a sequence of " + std::to_string(input_ids.size(1)) +
                     " tokens is longer than the model's limit of " + std::to_string(limit) +
                     " (max_position_embeddings " + std::to_string(config.max_position_embeddings) +
                     ")");
  if (input_ids.numel() > 0) {
    auto [lo, hi] = torch::aminmax(input_ids);
    if (lo.item<int64_t>() < 0 || hi.item<int64_t>() >= config.vocab_size)
      throw InputError("token ids must be in 0.." + std::to_string(config.vocab_size - 1) +
                       " (the tokenizer's vocabulary does not match the model's)");
  }
  if (config.type_vocab_size > 0 && token_type_ids.defined() && token_type_ids.numel() > 0) {
    auto [lo, hi] = torch::aminmax(token_type_ids);
    if (lo.item<int64_t>() < 0 || hi.item<int64_t>() >= config.type_vocab_size)
      throw InputError("token_type_ids must be in 0.." +
                       std::to_string(config.type_vocab_size - 1));
  }
}
}  // namespace detail

}  // namespace finsent::models
