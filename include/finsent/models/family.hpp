// ModelFamily: what one encoder family (src/models/<family>/) tells the shared code: the model_type
// values it reads, its config.json field names and defaults, its modules, the checkpoint shapes
// that pin its sizes, its Transformers classification head, and how the linear head is saved as
// that head. The registry (registry.hpp) holds one per family.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/config_reader.hpp"
#include "finsent/models/config_shapes.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/models/heads.hpp"

namespace finsent::models {

// One model_type value a family reads, with the Transformers classes that model_type names.
struct ModelTypeNames {
  std::string model_type;               // config.json's "model_type": "bert"
  std::string classifier_architecture;  // "BertForSequenceClassification"
  std::string base_architecture;        // "BertModel"
};

// config.json's name of each ModelConfig field whose name differs between families; "" where the
// family's config.json has no such field (it is neither read nor written, and ModelConfig keeps
// the family's default). vocab_size, max_position_embeddings, pad_token_id and initializer_range
// have the same name in every family.
struct ConfigFieldNames {
  std::string hidden_size = "hidden_size";
  std::string num_hidden_layers = "num_hidden_layers";
  std::string num_attention_heads = "num_attention_heads";
  std::string intermediate_size = "intermediate_size";
  std::string hidden_act = "hidden_act";
  std::string hidden_dropout_prob = "hidden_dropout_prob";
  std::string attention_probs_dropout_prob = "attention_probs_dropout_prob";
  std::string type_vocab_size = "type_vocab_size";  // "": no token type embeddings
  std::string layer_norm_eps = "layer_norm_eps";    // "": fixed by the family
};

// How a family's config.json maps onto ModelConfig. Every function may be empty (nothing to do).
struct ConfigSchema {
  ConfigFieldNames names;
  // Sets the family's defaults where they differ from ModelConfig's (which are BertConfig's).
  std::function<void(ModelConfig&)> defaults;
  // Reads the family's own fields (into config.family_fields) and refuses values it cannot model.
  std::function<void(const ConfigReader&, ModelConfig&)> read;
  // Checks the family's own fields (after reading, and whenever validate() runs).
  std::function<void(const ModelConfig&, const ConfigChecks&)> validate;
  // Writes the family's own fields into config.json's document.
  std::function<void(const ModelConfig&, nlohmann::json&)> write;
};

// How the notebook's linear head (no Transformers class) is stored as the family's head computing
// the same logits, and recovered on load (docs/models.md).
struct LinearHeadFold {
  // Rewrites `state` (every tensor save_pretrained writes, float32: the encoder's and the linear
  // head's classifier.weight / classifier.bias) into the family head's tensors, same function.
  std::function<void(const ModelConfig&, std::map<std::string, torch::Tensor>& state)> fold;
  // From the named parameters of a classifier loaded with the family's head: the linear head's
  // (weight [labels, hidden], bias [labels]), float64. Throws WeightsError when they are not a
  // folded linear head.
  std::function<std::pair<torch::Tensor, torch::Tensor>(
      const ModelConfig&, const torch::OrderedDict<std::string, torch::Tensor>& params)>
      unfold;
};

struct ModelFamily {
  // The model_type values it reads: the first is the family's own, the others (aliases) share its
  // modeling under their own class names ("xlm-roberta" beside "roberta").
  std::vector<ModelTypeNames> model_types;
  // The base model's attribute in *ForSequenceClassification ("bert"): its tensors' prefix in a
  // classifier checkpoint.
  std::string prefix;
  ConfigSchema config;
  // A new encoder for `config`, its parameters under the base model's names (make_encoder then
  // initializes them).
  std::function<std::shared_ptr<EncoderImpl>(const ModelConfig&)> build;
  // The checkpoint tensors whose shapes pin every size build() allocates, and the layer count:
  // what check_config_shapes compares with a checkpoint's header before build() runs.
  std::function<FamilyShapes(const ModelConfig&)> shapes;
  // Its Transformers classification head: what `--head auto` gives for its checkpoints, and
  // --head NAME by the head's name.
  HeadKind head;
  // Encoder tensors (names under `prefix`: "pooler.") a checkpoint may lack: newly initialized
  // and reported, as Transformers does for a base model saved without its pooler.
  std::vector<std::string> optional_weights;
  // Empty: a model with the linear head cannot be saved for this family (ConfigError).
  LinearHeadFold linear_fold;
  // The longest input the encoder embeds (max_sequence_length, encoder.hpp); empty:
  // max_position_embeddings.
  std::function<int64_t(const ModelConfig&)> max_length;

  // The family's own model_type.
  const std::string& name() const { return model_types.front().model_type; }
  // The names of `model_type` (one of model_types). Throws ConfigError otherwise.
  const ModelTypeNames& names(const std::string& model_type) const;
};

}  // namespace finsent::models
