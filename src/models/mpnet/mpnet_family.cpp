// The MPNet family: MPNetConfig's defaults and field, MPNetModel's shape probes and length limit,
// and MPNetClassificationHead.
#include "finsent/models/mpnet/mpnet_family.hpp"

#include "finsent/models/dense_classification_head.hpp"
#include "finsent/models/mpnet/mpnet_model.hpp"

namespace finsent::models {
namespace {

using nlohmann::json;

// MPNetConfig has no token types; layer_norm_eps is its own field.
ConfigFieldNames field_names() {
  ConfigFieldNames n;
  n.type_vocab_size = "";
  return n;
}

// MPNetConfig's defaults where they differ from BertConfig's.
void defaults(ModelConfig& c) {
  c.vocab_size = 30527;
  c.type_vocab_size = 0;
  c.pad_token_id = 1;
}

void read_fields(const ConfigReader& r, ModelConfig& c) {
  r.integer("relative_attention_num_buckets",
            c.mutable_fields<MPNetFields>().relative_attention_num_buckets);
}

// Transformers' MPNetEncoder looks up 32 buckets whatever the config says: fewer rows would fail
// there. Positions start after padding_idx 1, so the table needs more than 2 rows.
void validate_fields(const ModelConfig& c, const ConfigChecks& check) {
  const int64_t buckets = c.fields<MPNetFields>().relative_attention_num_buckets;
  if (buckets < 32)
    check.fail("relative_attention_num_buckets",
               std::to_string(buckets) + " is fewer than the 32 buckets MPNet's attention reads");
  if (c.max_position_embeddings <= MPNetModelImpl::kPaddingIdx + 1)
    check.fail("max_position_embeddings", std::to_string(c.max_position_embeddings) +
                                              " leaves no position after padding_idx 1");
}

void write_fields(const ModelConfig& c, json& doc) {
  doc["relative_attention_num_buckets"] = c.fields<MPNetFields>().relative_attention_num_buckets;
}

// MPNetModel's sizes: the embeddings pin vocab_size, hidden_size and max_position_embeddings, the
// position bias table relative_attention_num_buckets and num_attention_heads, the first block's
// intermediate dense intermediate_size.
FamilyShapes shapes(const ModelConfig& c) {
  const int64_t h = c.hidden_size;
  FamilyShapes s;
  s.probes = {
      pinned_probe("embeddings.word_embeddings.weight", {c.vocab_size, h},
                   {"vocab_size", "hidden_size"}),
      pinned_probe("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                   {"max_position_embeddings", "hidden_size"}),
      pinned_probe("encoder.relative_attention_bias.weight",
                   {c.fields<MPNetFields>().relative_attention_num_buckets, c.num_attention_heads},
                   {"relative_attention_num_buckets", "num_attention_heads"}),
      pinned_probe("encoder.layer.0.intermediate.dense.weight", {c.intermediate_size, h},
                   {"intermediate_size", "hidden_size"})};
  s.layer_prefix = "encoder.layer.";
  s.layers_field = "num_hidden_layers";
  s.layers = c.num_hidden_layers;
  return s;
}

}  // namespace

ModelFamily mpnet_family() {
  ModelFamily f;
  f.model_types = {{"mpnet", "MPNetForSequenceClassification", "MPNetModel"}};
  f.prefix = "mpnet";
  f.config.names = field_names();
  f.config.defaults = &defaults;
  f.config.read = &read_fields;
  f.config.validate = &validate_fields;
  f.config.write = &write_fields;
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<MPNetModelImpl>(c);
  };
  f.shapes = &shapes;
  // MPNetClassificationHead's dropout is hidden_dropout_prob (MPNetConfig has no
  // classifier_dropout).
  f.head = dense_head_kind("mpnet", DenseHeadActivation::Tanh,
                           [](const ModelConfig& c) { return c.hidden_dropout_prob; });
  f.linear_fold = dense_head_linear_fold("mpnet", DenseHeadActivation::Tanh);
  f.max_length = [](const ModelConfig& c) {
    return c.max_position_embeddings - MPNetModelImpl::kPaddingIdx - 1;
  };
  return f;
}

}  // namespace finsent::models
