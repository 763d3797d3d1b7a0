// A model directory loaded as a ClassifierBackend (models::TextClassifier underneath); torch-free.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "finsent/serve/classifier_backend.hpp"

namespace finsent::serve {

// Loads tokenizer, weights and labels from a Hugging Face model directory (eval mode), the model
// on `device` (a LibTorch device string: "cpu", "cuda:0"; resolve --device with
// pipeline::resolve_device first). `model_id` is what /info reports; `batch_size` bounds each
// forward pass of one logits() call. Throws ConfigError, WeightsError, TokenizerError as
// models::TextClassifier::load does.
std::unique_ptr<ClassifierBackend> load_classifier_backend(const std::filesystem::path& model_dir,
                                                           std::string model_id,
                                                           int64_t batch_size = 32,
                                                           const std::string& device = "cpu");

}  // namespace finsent::serve
