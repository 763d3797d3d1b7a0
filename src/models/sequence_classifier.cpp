// SequenceClassifier: forward passes, encoder freezing, and loading from a Hugging Face directory.
#include "finsent/models/sequence_classifier.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/config_shapes.hpp"
#include "finsent/models/head_resolution.hpp"
#include "finsent/models/registry.hpp"
#include "linear_head_folding.hpp"

namespace finsent::models {

SequenceClassifierImpl::SequenceClassifierImpl(ModelConfig config, Encoder encoder, Head head)
    : config_(std::move(config)), encoder_(std::move(encoder)), head_(std::move(head)) {
  register_module(model_family(config_.model_type).prefix, encoder_.ptr());
  // The head's children sit at the top level, where Transformers puts them ("classifier", ...).
  for (const auto& child : head_->named_children()) register_module(child.key(), child.value());
  if (head_->input() == HeadInput::Pooler && !encoder_->has_pooler())
    throw ConfigError("the " + head_->name() + " head needs a pooler, which model_type \"" +
                      config_.model_type + "\" has not");
}

torch::Tensor SequenceClassifierImpl::features(const torch::Tensor& input_ids,
                                               const torch::Tensor& attention_mask,
                                               const torch::Tensor& token_type_ids) {
  torch::Tensor hidden = encoder_->forward(input_ids, attention_mask, token_type_ids);
  if (head_->input() == HeadInput::Pooler) return encoder_->pool(hidden);
  if (head_->input() == HeadInput::MeanTokens) {
    // sentence-transformers' mean pooling: padding positions count neither in sum nor in count.
    if (!attention_mask.defined()) return hidden.mean(1);
    torch::Tensor m = attention_mask.unsqueeze(-1).to(hidden.scalar_type());
    return (hidden * m).sum(1) / m.sum(1).clamp_min(1e-9);
  }
  return hidden.select(1, 0);  // the [CLS] position
}

torch::Tensor SequenceClassifierImpl::classify(const torch::Tensor& features) {
  // The head's children (its dropout) are registered here, so they follow this module's
  // train()/eval().
  return head_->forward(features);
}

torch::Tensor SequenceClassifierImpl::forward(const torch::Tensor& input_ids,
                                              const torch::Tensor& attention_mask,
                                              const torch::Tensor& token_type_ids) {
  torch::Tensor f = features(input_ids, attention_mask, token_type_ids);
  return classify(f);
}

std::vector<torch::Tensor> SequenceClassifierImpl::trainable_parameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& p : parameters())
    if (p.requires_grad()) out.push_back(p);
  return out;
}

torch::Device SequenceClassifierImpl::device() const {
  const auto params = parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

void SequenceClassifierImpl::freeze_encoder(bool frozen) {
  for (auto& p : encoder_->parameters()) p.set_requires_grad(!frozen);
  frozen_ = frozen;
}

std::vector<std::string> SequenceClassifierImpl::head_tensor_names() const {
  std::vector<std::string> names;
  for (const auto& p : head_->named_parameters()) names.push_back(p.key());
  if (head_->input() == HeadInput::Pooler) {
    const std::vector<torch::Tensor> pooler = encoder_->pooler_parameters();
    for (const auto& p : named_parameters())
      for (const auto& q : pooler)
        if (p.value().is_same(q)) names.push_back(p.key());
  }
  return names;
}

std::vector<std::string> SequenceClassifierImpl::untrained_head_tensors() const {
  std::vector<std::string> out;
  for (const auto& name : head_tensor_names()) {
    for (const auto& n : report_.newly_initialized)
      if (n == name) out.push_back(name + " (not in the checkpoint)");
    for (const auto& m : report_.mismatched)
      if (m.rfind(name + ":", 0) == 0) out.push_back(m);
  }
  return out;
}

namespace {

// The one-line refusal of a directory whose checkpoint does not hold the head's trained tensors.
std::string no_trained_head(const std::filesystem::path& dir, const SequenceClassifierImpl& model) {
  const auto untrained = model.untrained_head_tensors();
  std::string list;
  for (size_t i = 0; i < untrained.size(); ++i) list += (i ? ", " : "") + untrained[i];
  std::string labels;
  for (size_t i = 0; i < model.labels().size(); ++i) labels += (i ? ", " : "") + model.labels()[i];
  return dir.string() + " has no trained classification head: " + list + "; its " +
         model.head_name() + " head for " + std::to_string(model.labels().size()) + " labels (" +
         labels + ") would answer at random. Only `finsent train --model " + dir.string() +
         " --data FILE --out DIR` starts a head from scratch";
}

// The head's projection, whose rows are config.json's labels: a checkpoint head with another
// number of rows must not be silently replaced when the labels come from config.json.
std::vector<ShapeProbe> head_probes(const ModelConfig& config, const HeadKind& stored) {
  auto given = [&](const char* key) {
    return config.extra.is_object() && config.extra.contains(key) && !config.extra[key].is_null();
  };
  const bool listed = given("id2label");
  const std::string labels_field = listed ? "id2label" : "num_labels";
  const std::string note = listed ? ""
                                  : "; config.json has no id2label, so num_labels " +
                                        std::string(given("num_labels") ? "says" : "defaults to") +
                                        " " + std::to_string(config.num_labels());
  const std::string hidden_field = model_family(config.model_type).config.names.hidden_size;
  return {{stored.projection + ".weight",
           {config.num_labels(), config.hidden_size},
           {labels_field, hidden_field},
           false,
           note}};
}

}  // namespace

SequenceClassifier load_sequence_classifier(const std::filesystem::path& dir,
                                            const ClassifierOptions& options) {
  if (!std::filesystem::is_directory(dir))
    throw ConfigError(dir.string() +
                      ": not a model directory (expected config.json and model.safetensors)");
  ModelConfig config = ModelConfig::load(dir);
  if (!options.id2label.empty()) {
    config.id2label = options.id2label;
    config.validate("labels");
  }
  const ModelFamily& family = model_family(config.model_type);
  const std::string marked = detail::marked_head(config);
  const std::string head = resolve_head(dir, config, options.head);
  // A linear head saved by finsent is stored as the family's head; it is loaded as that and
  // unfolded.
  const bool unfold = head == kLinearHead && marked == kLinearHead;
  const HeadKind& stored = unfold ? family.head : head_kind(head);

  // The checkpoint's header first: a config claiming sizes its weights do not have fails here,
  // before anything proportional to those sizes is allocated.
  std::unique_ptr<TensorSource> source = open_checkpoint(dir);
  check_config_shapes(
      config, (dir / "config.json").string(), *source,
      options.id2label.empty() ? head_probes(config, stored) : std::vector<ShapeProbe>{});
  Encoder encoder = make_encoder(config);
  auto model = std::make_shared<SequenceClassifierImpl>(
      config, encoder, make_head(stored, config, options.linear_dropout));
  WeightRules rules;
  rules.prefix = family.prefix;
  // The head (and the encoder parts the family marks optional, such as a pooler) may be missing:
  // newly initialized, and refused below when a trained head is required.
  for (const auto& root : stored.tensor_roots) rules.optional_prefixes.push_back(root + ".");
  for (const auto& name : family.optional_weights)
    rules.optional_prefixes.push_back(family.prefix + "." + name);
  // A head for another number of labels is replaced.
  rules.reinit_on_mismatch = {stored.projection + "."};
  model->set_load_report(load_weights(*model, *source, rules));
  if (options.require_trained_head) {
    if (!model->untrained_head_tensors().empty()) throw WeightsError(no_trained_head(dir, *model));
    // Tensors of one head read by another (a distilbert classifier on raw [CLS] states) mean
    // nothing: the head asked for must be the one the checkpoint was trained with.
    const std::string trained = options.head == "auto" ? head : auto_head(dir, config);
    if (trained != head)
      throw WeightsError(
          dir.string() + " has no trained " + head + " head: its classification head is a " +
          trained + " head; only `finsent train --head " + head + "` starts a head from scratch");
  }
  if (head == kMeanHead && marked == kMeanHead)
    for (const auto& name : model->load_report().newly_initialized)
      if (name.rfind(mean_head_kind().projection + ".", 0) == 0)
        throw WeightsError("config.json marks a mean-pooling head but the checkpoint lacks " +
                           name);
  if (unfold) {
    Head linear = detail::unfold_linear_head(*model, options.linear_dropout);
    LoadReport report = model->load_report();
    model = std::make_shared<SequenceClassifierImpl>(config, encoder, linear);
    model->set_load_report(std::move(report));
  }
  model->eval();
  if (model->device() != options.device) model->to(options.device);
  return SequenceClassifier(model);
}

}  // namespace finsent::models
