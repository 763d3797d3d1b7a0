// The training loop: fine-tunes a sequence classifier, frozen or unfrozen, with checkpoints.
#pragma once

#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "finsent/train/process_group.hpp"
#include "finsent/train/train_options.hpp"
#include "finsent/train/trainer_state.hpp"

namespace finsent::train {

struct LabeledTexts {
  std::vector<std::string> texts;
  std::vector<int> labels;  // ids into the label list passed to train_classifier
};

struct TrainOutput {
  std::ostream* progress = nullptr;  // progress line and notes; nullptr: silent
  bool tty = false;                  // rewrite one line in place instead of printing lines
  // Called after every optimizer step, once the step's checkpoint (if one was due) is written.
  // Returning false ends the run there, as a kill would: nothing after the last checkpoint is
  // saved (no epoch checkpoint, evaluation or model) and TrainResult::interrupted is set; the run
  // continues with options.resume. Empty: the run goes to its end.
  std::function<bool(const TrainerState&)> after_step;
};

// What training did with the checkpoint's head (models::start_fine_tuning).
struct HeadStart {
  bool kept = false;      // the checkpoint's trained head, rows taken by label name
  bool replaced = false;  // a trained head of the checkpoint was re-initialized (warned)
  std::vector<std::string> initialized;  // model tensors given new values
  std::string message;                   // the line printed about it
};

struct TrainResult {
  TrainerState state;          // final state (log_history holds every logged step and eval)
  bool stopped_early = false;  // early stopping ended the run before `epochs`
  bool resumed = false;
  HeadStart head;
  bool interrupted = false;  // TrainOutput::after_step stopped the run (state: where it stopped)
  std::filesystem::path model_dir;  // options.out_dir: the saved Hugging Face model directory
};

// Loads options.model_dir with the head models::start_fine_tuning gives for `labels` (the
// checkpoint's trained head by label name, else a new one, seeded; said on `output.progress`,
// prefixed "warning: " when a trained head is re-initialized), trains on `train`, evaluates on
// `val` after every epoch when it is non-empty (keep-best and early stopping by options.metric),
// and writes options.out_dir: the Hugging Face model (save_pretrained), training_args.json and
// trainer_state.json. Checkpoints go to out_dir/checkpoint-N (see checkpoint.hpp); with
// options.resume the run continues from the latest complete checkpoint there, provided the
// options that shape the trajectory are the same (else InputError).
// A non-finite loss or gradient norm throws finsent::Error at that step, naming the step and the
// last good checkpoint, which is kept. Scalars go to options.logdir (TensorBoard + CSV + JSONL).
//
// With `group` (data-parallel training, DataParallel's semantics): every rank calls this with the
// same arguments; options.batch_size is per rank, the global batch world_size times it; each epoch
// is DistributedSampler's share of a torch.randperm(seed + epoch) order; gradients are averaged
// over the ranks; only rank 0 prints and writes (checkpoints, logs, the model). A resumed run may
// have another world size: the epoch continues after the examples already seen. A failed rank
// makes the others throw finsent::Error at their next collective.
TrainResult train_classifier(const TrainOptions& options, const std::vector<std::string>& labels,
                             const LabeledTexts& train, const LabeledTexts& val,
                             const TrainOutput& output = {}, ProcessGroup* group = nullptr);

// Splits `data` into (train, val): a seeded shuffle (SplitMix64(seed)), the last
// ceil(n * val_ratio) rows in shuffled order become validation; order otherwise preserved.
std::pair<LabeledTexts, LabeledTexts> carve_validation(const LabeledTexts& data, double val_ratio,
                                                       uint64_t seed);

}  // namespace finsent::train
