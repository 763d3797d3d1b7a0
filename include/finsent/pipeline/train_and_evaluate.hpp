// The `finsent train` flow: split, label-encode, train, reload the saved model, score the test
// split, write metrics.json.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "finsent/pipeline/collapse_warning.hpp"
#include "finsent/pipeline/evaluate.hpp"
#include "finsent/pipeline/prepare_data.hpp"
#include "finsent/train/trainer.hpp"

namespace finsent::pipeline {

struct TrainAndEvaluateResult {
  train::TrainResult training;  // training.interrupted: output.after_step cut the run
  // The rest is set only when the run was not interrupted.
  Evaluation test;  // the saved model reloaded from options.out_dir, on the test split
  size_t test_rows = 0;
  std::optional<CollapseWarning> collapse;  // advice for the way this run was trained
  nlohmann::json metrics;                   // what OUT/metrics.json holds
  double wall_seconds = 0;                  // from the data's loading to metrics.json
  // False on the ranks other than 0 of a data-parallel run: they train, rank 0 alone evaluates,
  // writes and reports (the fields above are then empty).
  bool reports = true;
};

// Holds train::RunLock on options.out_dir (a second run on the same folder is refused) while it:
// validates `options` (InputError naming the flag), loads and splits `data`, fits the labels on
// the training split (training_set), carves options.val_ratio of it for validation, writes one
// line "training on N sentences[, validating on M], testing on K; labels: ..." to
// output.progress (the first 20 labels and a count beyond), trains (train::train_classifier on
// options.device), and unless output.after_step interrupted the run: reloads the saved model on
// options.device, scores the test split (options.eval_batch_size per pass), and writes
// options.out_dir/metrics.json atomically: the eval::to_json report plus "split", "train_seconds",
// "wall_seconds", "global_step", "best_epoch", "stopped_early", "head" and "collapse".
// Throws what the steps throw; nothing is written to metrics.json on an error.
// With `group`, this process is one rank of a data-parallel run (train::train_classifier's
// semantics); only rank 0 holds the lock, prints, evaluates and writes.
TrainAndEvaluateResult train_and_evaluate(const DataOptions& data,
                                          const train::TrainOptions& options,
                                          const train::TrainOutput& output = {},
                                          train::ProcessGroup* group = nullptr);

}  // namespace finsent::pipeline
