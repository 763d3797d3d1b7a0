// Checkpoint tensors into a module, name for name, with a Transformers-style report of what did not
// fit.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace finsent::models {

// What loading found besides the weights that fit exactly.
struct LoadReport {
  std::vector<std::string>
      newly_initialized;                // model weights absent from the checkpoint (optional ones)
  std::vector<std::string> unexpected;  // checkpoint weights the model has no place for
  std::vector<std::string>
      mismatched;  // "NAME: checkpoint [a, b] vs model [c, d]" (head, reinitialized)
  bool clean() const {
    return newly_initialized.empty() && unexpected.empty() && mismatched.empty();
  }
  // Transformers-like warning lines ("Some weights of ... were newly initialized: [...]"); "" when
  // clean.
  std::string summary(const std::string& checkpoint, const std::string& architecture) const;
};

// Read-only named tensors of a checkpoint.
class TensorSource {
 public:
  virtual ~TensorSource() = default;
  virtual std::vector<std::string> names() const = 0;
  // The tensor `name` (one of names()) as stored: its dtype, on the CPU. Throws WeightsError.
  virtual torch::Tensor get(const std::string& name) const = 0;
  // The shape of `name` (one of names()), from the header alone: no tensor data is read.
  virtual std::vector<int64_t> shape(const std::string& name) const = 0;
  // Names the source in messages (a file path).
  virtual std::string origin() const = 0;
};

// The checkpoint of a model directory as io::CheckpointReader chooses it (model.safetensors,
// sharded safetensors, pytorch_model.bin through the restricted unpickler, sharded .bin).
// Throws WeightsError when there is none or it is invalid.
std::unique_ptr<TensorSource> open_checkpoint(const std::filesystem::path& dir);
// Tensors held in memory (tests, conversions).
std::unique_ptr<TensorSource> memory_source(std::map<std::string, torch::Tensor> tensors,
                                            std::string origin);

// How checkpoint names meet the model's names.
struct WeightRules {
  // The base model's attribute ("bert"): a checkpoint without any "bert." name is a base model and
  // its names get the prefix.
  std::string prefix;
  // Model names starting with one of these may be missing (newly initialized, reported).
  std::vector<std::string> optional_prefixes;
  // Model names starting with one of these are re-initialized, not an error, when their shape
  // differs (a classifier head with another number of labels).
  std::vector<std::string> reinit_on_mismatch;
  // Checkpoint names ending with one of these are dropped silently (buffers Transformers no longer
  // saves).
  std::vector<std::string> ignored_suffixes = {"embeddings.position_ids"};
};

// Copies every checkpoint tensor into the parameter or buffer of the same name (after the legacy
// LayerNorm renames gamma -> weight, beta -> bias, as Transformers does), converting F16/BF16/F64
// to the parameter's dtype. Throws WeightsError listing missing required weights and mis-shaped
// ones.
LoadReport load_weights(torch::nn::Module& model, const TensorSource& source,
                        const WeightRules& rules);

}  // namespace finsent::models
