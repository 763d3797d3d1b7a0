// Evaluating a classifier on labelled texts, and the `finsent eval` flow: a saved model scored on
// the test split.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "finsent/eval/metrics.hpp"
#include "finsent/models/text_classifier.hpp"
#include "finsent/pipeline/collapse_warning.hpp"
#include "finsent/pipeline/prepare_data.hpp"

namespace finsent::pipeline {

struct Evaluation {
  eval::ClassificationReport report;            // labels: gold and predicted, sorted
  std::vector<models::Prediction> predictions;  // one per text, input order
};

// Runs `classifier` over `texts` (truncated to its max length) on the classifier's device and
// scores the predicted label names against `gold` with scikit-learn's label-set rules
// (eval::classification_report): a gold label the model does not know is reported (recall 0,
// never predicted). Throws InputError when the counts differ.
Evaluation evaluate_classifier(models::TextClassifier& classifier,
                               const std::vector<std::string>& texts,
                               const std::vector<std::string>& gold, int64_t batch_size = 64);

// Writes one JSON line per text: {"text","label","predicted","score","probabilities":{label: p}},
// atomically (nothing under `file` unless every line was written).
void write_predictions(const std::filesystem::path& file, const std::vector<std::string>& texts,
                       const std::vector<std::string>& gold, const Evaluation& evaluation,
                       const std::vector<std::string>& labels);

struct EvaluateOptions {
  DataOptions data;                   // the file and the split whose test part is scored
  std::filesystem::path model_dir;    // a Hugging Face directory with a trained head
  c10::Device device = c10::kCPU;     // where the model and its batches live
  int64_t batch_size = 64;            // sentences per forward pass
  bool bf16 = false;                  // CPU bf16 autocast (fp32 weights); CPU only
  std::filesystem::path predictions;  // non-empty: write_predictions there
};

struct SavedModelEvaluation {
  Evaluation evaluation;  // on the test split
  size_t test_rows = 0;
  std::vector<std::string> labels;          // the model's labels (id2label order)
  std::optional<CollapseWarning> collapse;  // advice from MODEL_DIR/training_args.json
};

// `finsent eval`: loads and splits options.data (load_split), loads options.model_dir on
// options.device, scores the test split, writes the predictions file when asked, and looks for a
// prediction collapse. Throws InputError for --bf16 off the CPU, and what load_split,
// TextClassifier::load and evaluate_classifier throw.
SavedModelEvaluation evaluate_saved_model(const EvaluateOptions& options);

// A saved classifier on `device` (TextClassifier::load with ClassifierOptions::device).
models::TextClassifier load_classifier(const std::filesystem::path& model_dir, c10::Device device);

}  // namespace finsent::pipeline
