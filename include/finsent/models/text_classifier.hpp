// TextClassifier: tokenizer + sequence classifier + labels, the pipeline predict/eval/serve/train
// use.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"

namespace finsent::models {

struct TextInput {
  std::string text;
  std::optional<std::string> pair;  // a second text: [CLS] text [SEP] pair [SEP]
};

struct Prediction {
  std::string label;                 // labels()[argmax]
  float score = 0;                   // probability of `label`
  std::vector<float> probabilities;  // softmax over labels(), in labels() order
};

// Thread-safe for concurrent logits()/predict() calls (inference only, InferenceMode).
class TextClassifier {
 public:
  // Loads tokenizer and classifier from a Hugging Face directory (eval mode), the model on
  // options.device. Throws ConfigError, WeightsError, TokenizerError; ConfigError when the
  // tokenizer's vocabulary is larger than the model's; WeightsError naming the tensors when the
  // directory has no trained classification head (a base encoder; see
  // ClassifierOptions::require_trained_head).
  static TextClassifier load(const std::filesystem::path& model_dir,
                             const ClassifierOptions& options = {});
  TextClassifier(std::shared_ptr<const text::Tokenizer> tokenizer, SequenceClassifier model);

  const std::vector<std::string>& labels() const { return model_->labels(); }
  // Longest input in tokens, special tokens included (the model's max_position_embeddings).
  int64_t max_length() const { return max_length_; }
  // Where the model runs: each batch is built on the CPU and moved there.
  torch::Device device() const { return model_->device(); }

  // Logits [inputs.size(), num_labels] float32 CPU (whatever device() is), in input order. Inputs
  // are tokenized, sorted by length and run on device() in batches of `batch_size` padded to their
  // longest member. With truncate, inputs are cut to max_length() tokens; without, a longer input
  // throws InputError naming its index.
  // Throws WeightsError when any logit is NaN or infinite (e.g. weights holding NaN).
  torch::Tensor logits(const std::vector<TextInput>& inputs, bool truncate = true,
                       int64_t batch_size = 32);
  // Softmax of logits() per text (computed stably in float64, rounded to float).
  std::vector<Prediction> predict(const std::vector<std::string>& texts, int64_t batch_size = 32);

  const text::Tokenizer& tokenizer() const { return *tokenizer_; }
  SequenceClassifier& model() { return model_; }

 private:
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  SequenceClassifier model_;
  int64_t max_length_;
};

}  // namespace finsent::models
