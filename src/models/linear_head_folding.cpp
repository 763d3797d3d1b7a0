// The linear head saved as the family's Transformers head and recovered on load: the shared steps
// around each family's LinearHeadFold.
#include "linear_head_folding.hpp"

#include <algorithm>

#include "finsent/core/error.hpp"
#include "finsent/models/registry.hpp"

namespace finsent::models::detail {

std::string marked_head(const ModelConfig& config) {
  if (!config.extra.is_object() || !config.extra.contains(kFinsentHeadKey)) return "";
  const auto& mark = config.extra[kFinsentHeadKey];
  if (!mark.is_string() || (mark != kLinearHead && mark != kMeanHead))
    throw ConfigError(std::string("config.json: ") + kFinsentHeadKey +
                      " must be \"linear\" or \"mean\"");
  return mark.get<std::string>();
}

void fold_linear_head(const SequenceClassifierImpl& model,
                      std::map<std::string, torch::Tensor>& state) {
  const ModelConfig& c = model.config();
  const ModelFamily& family = model_family(c.model_type);
  if (!family.linear_fold.fold)
    throw ConfigError("model_type \"" + c.model_type +
                      "\" has no rule to store the linear head as its " + family.head.name +
                      " head; train with --head " + family.head.name + " or --head mean");
  family.linear_fold.fold(c, state);
}

Head unfold_linear_head(SequenceClassifierImpl& folded, double dropout) {
  const ModelConfig& c = folded.config();
  const ModelFamily& family = model_family(c.model_type);
  const auto& missing = folded.load_report().newly_initialized;
  for (const auto& name : folded.head_tensor_names())
    if (std::find(missing.begin(), missing.end(), name) != missing.end())
      throw WeightsError("config.json marks a folded linear head but the checkpoint lacks " + name);
  if (!family.linear_fold.unfold)
    throw WeightsError("config.json marks a folded linear head but model_type \"" + c.model_type +
                       "\" has no rule to read one");
  torch::NoGradGuard no_grad;
  const auto [weight, bias] = family.linear_fold.unfold(c, folded.named_parameters());
  Head head = make_head(linear_head_kind(), c, dropout);
  head->classifier()->weight.copy_(weight);
  head->classifier()->bias.copy_(bias);
  return head;
}

}  // namespace finsent::models::detail
