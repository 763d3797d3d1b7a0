// Resumable checkpoints: model, optimizer, RNG and trainer state in one atomically renamed folder.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <optional>

#include "finsent/train/adamw.hpp"
#include "finsent/train/trainer_state.hpp"

namespace finsent::train {

// Writes `<out_dir>/checkpoint-<global_step>/` holding model.pt (every parameter and buffer by
// name), optimizer.pt, rng_state.pt (LibTorch's default CPU generator) and trainer_state.json.
// Tensors are written as CPU tensors and read back into the model's and optimizer's own tensors
// (copied to their device), so a checkpoint is device-independent.
// Everything is written into a hidden temporary folder, fsynced, then renamed into place, so a
// folder named checkpoint-N is always complete. Older checkpoint-* folders are then removed.
// Throws IoError if anything cannot be written (disk full, read-only): never silently skipped.
std::filesystem::path save_checkpoint(const std::filesystem::path& out_dir,
                                      const torch::nn::Module& model, const AdamW& optimizer,
                                      const TrainerState& state);

// `dir` itself if it is a complete checkpoint, else its complete checkpoint-N child with the
// largest N; nullopt if none. Temporary folders of interrupted saves are never returned.
std::optional<std::filesystem::path> latest_checkpoint(const std::filesystem::path& dir);

// Restores model weights, optimizer state and the RNG from `checkpoint`; returns its state.
// Throws WeightsError if the checkpoint does not fit the model or optimizer.
TrainerState load_checkpoint(const std::filesystem::path& checkpoint, torch::nn::Module& model,
                             AdamW& optimizer);

// Every parameter and buffer of `model` by name, into one file (atomically) / back.
void save_module_state(const torch::nn::Module& model, const std::filesystem::path& file);
void load_module_state(torch::nn::Module& model, const std::filesystem::path& file);

}  // namespace finsent::train
