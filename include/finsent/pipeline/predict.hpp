// The predict flow: a saved classifier's label and probabilities for new texts.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "finsent/models/text_classifier.hpp"

namespace finsent::pipeline {

struct PredictOptions {
  c10::Device device = c10::kCPU;  // where the model and its batches live
  int64_t batch_size = 32;         // texts per forward pass
};

struct ModelPredictions {
  std::vector<std::string> labels;              // the model's labels, id2label order
  std::vector<models::Prediction> predictions;  // one per text, input order
};

// Loads `model_dir` on options.device and predicts every text (truncated to the model's maximum
// length; models::TextClassifier::predict). Throws what TextClassifier::load and predict throw.
ModelPredictions predict(const std::filesystem::path& model_dir,
                         const std::vector<std::string>& texts, const PredictOptions& options = {});

}  // namespace finsent::pipeline
