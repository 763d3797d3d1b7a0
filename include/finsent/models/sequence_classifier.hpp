// SequenceClassifier: an encoder plus a classification head, loaded from and saved to Hugging Face
// directories.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/models/heads.hpp"
#include "finsent/models/weights.hpp"

namespace finsent::text {
class Tokenizer;
}

namespace finsent::models {

// Encoder registered under the family prefix (ModelFamily::prefix: "bert") and the head's children
// at the top level, so named_parameters() are exactly the *ForSequenceClassification checkpoint
// names
// ("bert.embeddings.word_embeddings.weight", ..., "classifier.weight").
class SequenceClassifierImpl : public torch::nn::Module {
 public:
  // A classifier over an existing encoder. config.num_labels() sets the head's output size. Throws
  // ConfigError when the head reads a pooler the encoder has not.
  SequenceClassifierImpl(ModelConfig config, Encoder encoder, Head head);

  // input_ids, attention_mask (1 = token, 0 = padding), token_type_ids (optional, may be an
  // undefined tensor): [batch, seq] int64 -> logits [batch, num_labels] float.
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor& token_type_ids = {});
  // The head's input [batch, hidden] (HeadImpl::input): the pooler output, the mean of the hidden
  // states over the attention mask, or the first ([CLS]) hidden state. With a frozen encoder these
  // can be computed once and cached.
  torch::Tensor features(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                         const torch::Tensor& token_type_ids = {});
  // The head alone: features [batch, hidden] -> logits [batch, num_labels].
  torch::Tensor classify(const torch::Tensor& features);

  Encoder& encoder() { return encoder_; }
  // The trainable head (its parameters are the same tensors as this module's head parameters).
  Head& head() { return head_; }
  // The head's name as --head gives it ("linear", "mean", or the family head's: "bert", ...).
  const std::string& head_name() const { return head_->name(); }
  std::vector<torch::Tensor> encoder_parameters() const { return encoder_->parameters(); }
  std::vector<torch::Tensor> head_parameters() const { return head_->parameters(); }
  // Parameters that currently require gradients (what an optimizer should get).
  std::vector<torch::Tensor> trainable_parameters() const;
  // Frozen: encoder parameters stop requiring gradients (a pooler, part of the encoder, included).
  void freeze_encoder(bool frozen = true);
  bool encoder_frozen() const { return frozen_; }
  // The device of the model's parameters (models live on one device; CPU before any is made).
  torch::Device device() const;

  const ModelConfig& config() const { return config_; }
  const std::vector<std::string>& labels() const { return config_.id2label; }
  // What loading found (empty for a classifier that was not loaded).
  const LoadReport& load_report() const { return report_; }
  void set_load_report(LoadReport report) { report_ = std::move(report); }
  // Model names of the tensors the head's output depends on besides the encoder's layers: the
  // head's parameters ("classifier.weight", ...) and, for a head reading the pooler, the pooler's.
  std::vector<std::string> head_tensor_names() const;
  // Those of head_tensor_names() that load_report() says the checkpoint did not supply: newly
  // initialized ("classifier.weight (not in the checkpoint)") or re-initialized for a shape
  // mismatch ("classifier.weight: checkpoint [3, 32] vs model [2, 32]"). Empty when the head is
  // the checkpoint's trained head (and for a classifier that was not loaded: check load_report()).
  std::vector<std::string> untrained_head_tensors() const;

 private:
  ModelConfig config_;
  Encoder encoder_;
  Head head_;
  bool frozen_ = false;
  LoadReport report_;
};
TORCH_MODULE(SequenceClassifier);

struct ClassifierOptions {
  // Labels of the head; empty keeps the checkpoint config's id2label. Rows are taken by position,
  // not by name (start_fine_tuning maps them by name). A checkpoint head with another number of
  // labels does not fit (see require_trained_head).
  std::vector<std::string> id2label;
  // auto, a family head's name ("bert", "distilbert", ...: registry.hpp's head_kind), linear or
  // mean. auto: the head the directory was trained with (auto_head in head_resolution.hpp: the head
  // finsent marked in config.json, the family's head of a *ForSequenceClassification checkpoint,
  // the pooling of a sentence-transformers directory), else the family's Transformers head.
  std::string head = "auto";
  double linear_dropout = 0.1;  // the notebook's dropout before its linear layer
  // Predicting with a head nobody trained gives random answers: by default loading throws
  // WeightsError ("DIR has no trained classification head ...") unless every tensor of
  // head_tensor_names() comes from the checkpoint with its shape. false (training only): a missing
  // or mis-shaped head is newly initialized and listed in load_report().
  bool require_trained_head = true;
  // Where the loaded model's parameters and buffers live. Weights are read on the CPU and moved
  // there once loaded, so what is loaded is the same on every device.
  torch::Device device = torch::kCPU;
};

// Loads `dir` (config.json + model.safetensors, sharded safetensors, pytorch_model.bin or sharded
// .bin) in eval mode, on options.device, its modules those of config.json's model_type family
// (registry.hpp). The checkpoint may be a base model (weights without the family prefix such as
// "bert.", e.g. all-MiniLM-L6-v2) or a classifier. Missing encoder weights
// and mis-shaped weights throw WeightsError listing them; a head (or pooler) that the checkpoint
// lacks or holds with another shape throws WeightsError naming the tensors unless
// options.require_trained_head is false, when it is newly initialized and listed in
// load_report(). Throws ConfigError for config problems.
SequenceClassifier load_sequence_classifier(const std::filesystem::path& dir,
                                            const ClassifierOptions& options = {});

// Writes a Hugging Face directory loadable by AutoModelForSequenceClassification with the same
// logits: config.json (architectures, id2label, label2id, model_type, sizes), model.safetensors
// (float32), the tokenizer's files. The linear head has no Transformers class: it is written as the
// family's head computing the same function (see docs/models.md) and marked "finsent_head":
// "linear" in config.json, so load_sequence_classifier gives the linear head back. A head's input
// standardization (HeadImpl::standardize_inputs) is folded into its first Linear.
void save_pretrained(SequenceClassifierImpl& model, const text::Tokenizer& tokenizer,
                     const std::filesystem::path& dir);

// The tensors save_pretrained writes to model.safetensors (name -> float32 CPU contiguous) and
// its config.json document; for tests and callers that write elsewhere.
std::vector<std::pair<std::string, torch::Tensor>> export_state(SequenceClassifierImpl& model);
nlohmann::json export_config(const SequenceClassifierImpl& model);

}  // namespace finsent::models
