// Every knob of a training run, with Hugging Face Trainer's defaults where Trainer has one.
#pragma once

#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace finsent::train {

struct TrainOptions {
  std::filesystem::path model_dir;  // Hugging Face directory to start from
  std::filesystem::path out_dir;    // written: model dir + training_args.json + trainer_state.json
  std::filesystem::path logdir;     // TensorBoard + scalars.csv/jsonl; empty: out_dir / "runs"
  int64_t epochs = 3;
  int64_t batch_size = 16;
  int64_t eval_batch_size = 64;
  double learning_rate = 5e-5;
  double weight_decay = 0.0;
  double warmup = 0.0;         // steps if >= 1, else a ratio of total steps
  double max_grad_norm = 1.0;  // 0 disables clipping (the norm is still checked for inf/nan)
  int64_t max_length = 128;    // tokens per sentence, special tokens included
  uint64_t seed = 42;          // head init, dropout, epoch order (Trainer's default seed)
  std::string head = "auto";   // auto | bert | distilbert | linear | mean
  bool freeze_encoder = false;
  bool feature_cache = true;  // frozen encoder: features computed once, head trained on them
  // Frozen encoder: the head sees its features standardized with the training split's per-feature
  // mean and standard deviation (StandardScaler's), folded into the head when saved.
  bool standardize_features = false;
  int64_t grad_accum = 1;
  std::string class_weights = "none";  // none | balanced
  double label_smoothing = 0.0;
  bool bf16 = false;  // bf16 autocast for forward passes; fp32 master weights
  bool group_by_length = false;
  double val_ratio = 0.0;           // carved out of the training split; 0: no validation
  std::string metric = "macro_f1";  // keep-best / early-stopping metric: accuracy | macro_f1 | loss
  bool keep_best = true;            // with validation: the saved model is the best epoch's
  int64_t patience = 0;             // epochs without improvement before stopping; 0: never
  int64_t save_steps = 0;           // checkpoint every N optimizer steps too; 0: each epoch only
  int64_t logging_steps = 10;
  std::filesystem::path resume;  // a run's out_dir or one of its checkpoint-N dirs
  // Testing aid (a hidden flag): train with dropout off (eval mode) so frozen fast and naive paths
  // can be compared exactly.
  bool dropout = true;
  // Where the model, its batches, cached features and optimizer state live. Not part of
  // training_args.json nor of the resume fingerprint: checkpoints are device-independent, so a run
  // may resume on another device.
  c10::Device device = c10::kCPU;

  // Throws InputError naming the flag for an out-of-range value (and --bf16 off the CPU).
  void validate() const;
};

nlohmann::json to_json(const TrainOptions& o);

// Options whose change would make a resumed run a different run (compared on --resume).
nlohmann::json trajectory_fingerprint(const TrainOptions& o);

}  // namespace finsent::train
