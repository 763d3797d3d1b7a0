// start_fine_tuning: the checkpoint's head kept by label name, or a new head, said plainly.
#include "finsent/models/fine_tune_start.hpp"

#include <algorithm>
#include <set>

#include "finsent/core/error.hpp"
#include "finsent/models/head_resolution.hpp"
#include "finsent/models/registry.hpp"
#include "init.hpp"

namespace finsent::models {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

bool same_label_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// What loading did with each head tensor.
struct HeadTensors {
  std::vector<std::string> head;       // the head module's parameters (model names)
  std::vector<std::string> untrained;  // head_tensor_names() the checkpoint did not supply
  std::vector<std::string> present;    // head parameters the checkpoint holds (any shape)
  std::vector<std::string> mismatched;
  std::vector<std::string> unused;  // checkpoint head tensors of another head type
};

HeadTensors inspect(SequenceClassifierImpl& model) {
  const LoadReport& report = model.load_report();
  std::set<std::string> missing(report.newly_initialized.begin(), report.newly_initialized.end());
  HeadTensors t;
  for (const auto& p : model.head()->named_parameters()) t.head.push_back(p.key());
  for (const auto& name : model.head_tensor_names()) {
    bool shape = false;
    for (const auto& m : report.mismatched) shape = shape || m.rfind(name + ":", 0) == 0;
    if (shape) t.mismatched.push_back(name);
    if (shape || missing.count(name)) t.untrained.push_back(name);
    const bool is_head = std::find(t.head.begin(), t.head.end(), name) != t.head.end();
    if (is_head && !missing.count(name)) t.present.push_back(name);
  }
  std::set<std::string> roots;  // where any head keeps its tensors
  for (const HeadKind* kind : head_kinds())
    for (const auto& root : kind->tensor_roots) roots.insert(root + ".");
  for (const auto& name : report.unexpected)
    for (const auto& root : roots)
      if (name.rfind(root, 0) == 0) {
        t.unused.push_back(name);
        break;
      }
  return t;
}

// Rows of the final layer reordered from the checkpoint's label order to `labels`' order.
void permute_rows(HeadImpl& head, const std::vector<std::string>& from,
                  const std::vector<std::string>& labels) {
  std::vector<int64_t> rows;
  for (const auto& l : labels)
    rows.push_back(std::find(from.begin(), from.end(), l) - from.begin());
  const torch::Tensor index = torch::tensor(rows, torch::kInt64);
  torch::NoGradGuard no_grad;
  torch::nn::Linear& out = head.classifier();
  out->weight.copy_(out->weight.index_select(0, index));
  out->bias.copy_(out->bias.index_select(0, index));
}

// Why a checkpoint head that was (at least partly) loaded cannot be kept.
std::string replace_reason(const HeadTensors& t, const std::string& trained,
                           const std::string& requested,
                           const std::vector<std::string>& ckpt_labels,
                           const std::vector<std::string>& labels) {
  if (trained != requested)
    return "the checkpoint's head is a " + trained + " head and --head " + requested +
           " was asked for";
  if (!t.mismatched.empty() || ckpt_labels.size() != labels.size())
    return "the checkpoint's head was trained for " + std::to_string(ckpt_labels.size()) +
           " labels (" + join(ckpt_labels) + "), the data has " + std::to_string(labels.size()) +
           " (" + join(labels) + ")";
  if (!t.untrained.empty())
    return "the checkpoint's head is incomplete (" + join(t.untrained) + " not in it)";
  return "the checkpoint's head was trained for labels " + join(ckpt_labels) + ", not the data's " +
         join(labels) + " (rows are matched by label name)";
}

}  // namespace

FineTuneStart start_fine_tuning(const std::filesystem::path& dir,
                                const std::vector<std::string>& labels, const std::string& head,
                                double linear_dropout) {
  const ModelConfig checkpoint_config = ModelConfig::load(dir);
  const std::vector<std::string>& ckpt_labels = checkpoint_config.id2label;
  const std::string requested = resolve_head(dir, checkpoint_config, head);
  // The head the checkpoint was trained with; an explicit --head needs no readable pooling config.
  std::string trained_type = requested;
  if (head != "auto") {
    try {
      trained_type = auto_head(dir, checkpoint_config);
    } catch (const ConfigError&) {
      trained_type = requested;
    }
  }

  ClassifierOptions options;
  options.id2label = labels;
  options.head = head;
  options.linear_dropout = linear_dropout;
  options.require_trained_head = false;
  FineTuneStart out;
  out.model = load_sequence_classifier(dir, options);
  SequenceClassifierImpl& model = *out.model;
  const HeadTensors t = inspect(model);
  const std::string kind = model.head_name() + " head";

  if (t.untrained.empty() && trained_type == requested && same_label_set(ckpt_labels, labels)) {
    out.head_kept = true;
    if (ckpt_labels == labels) {
      out.message = "the checkpoint's trained " + kind + " is kept (labels " + join(labels) + ")";
    } else {
      permute_rows(*model.head(), ckpt_labels, labels);
      out.message = "the checkpoint's trained " + kind +
                    " is kept, its rows taken by label name: checkpoint order " +
                    join(ckpt_labels) + " -> saved order " + join(labels);
    }
    return out;
  }
  if (t.present.empty()) {
    out.initialized = t.untrained;
    out.head_replaced = !t.unused.empty();
    out.message = "new " + kind + " for labels " + join(labels) + ": initialized " +
                  join(out.initialized) +
                  (t.unused.empty()
                       ? " (" + dir.string() + " has no trained classification head)"
                       : "; the checkpoint's " + join(t.unused) + " (another head) are not used");
    return out;
  }
  detail::init_weights(*model.head(), model.config().initializer_range);
  out.initialized = t.head;
  for (const auto& name : t.untrained)
    if (std::find(t.head.begin(), t.head.end(), name) == t.head.end())
      out.initialized.push_back(name);
  out.head_replaced = true;
  out.message = "re-initialized " + join(out.initialized) + " for the data's labels " +
                join(labels) + ": " +
                replace_reason(t, trained_type, requested, ckpt_labels, labels);
  return out;
}

}  // namespace finsent::models
