// Validation and JSON form of TrainOptions (training_args.json).
#include "finsent/train/train_options.hpp"

#include "finsent/core/error.hpp"

namespace finsent::train {

void TrainOptions::validate() const {
  auto need = [](bool ok, const std::string& what) {
    if (!ok) throw InputError(what);
  };
  need(epochs >= 1, "--epochs must be >= 1");
  need(batch_size >= 1, "--batch-size must be >= 1");
  need(eval_batch_size >= 1, "--eval-batch-size must be >= 1");
  need(learning_rate > 0, "--lr must be > 0");
  need(weight_decay >= 0, "--weight-decay must be >= 0");
  need(warmup >= 0, "--warmup must be >= 0");
  need(max_grad_norm >= 0, "--max-grad-norm must be >= 0");
  need(max_length >= 3, "--max-length must be >= 3");
  need(grad_accum >= 1, "--grad-accum must be >= 1");
  need(class_weights == "none" || class_weights == "balanced",
       "--class-weights must be none or balanced");
  need(label_smoothing >= 0 && label_smoothing < 1, "--label-smoothing must be in [0, 1)");
  need(val_ratio >= 0 && val_ratio < 1, "--val-ratio must be in [0, 1)");
  need(metric == "accuracy" || metric == "macro_f1" || metric == "loss",
       "--metric must be accuracy, macro_f1 or loss");
  need(!standardize_features || freeze_encoder,
       "--standardize-features needs --freeze-encoder (the features must not change)");
  need(patience >= 0, "--patience must be >= 0");
  need(patience == 0 || val_ratio > 0, "--patience needs --val-ratio > 0");
  need(save_steps >= 0, "--save-steps must be >= 0");
  need(logging_steps >= 1, "--logging-steps must be >= 1");
  need(!bf16 || device.is_cpu() || device.is_cuda(),
       "--bf16 is autocast on CPU or CUDA (this run's device is " + device.str() + ")");
}

nlohmann::json to_json(const TrainOptions& o) {
  return {{"model", o.model_dir.string()},
          {"out", o.out_dir.string()},
          {"logdir", o.logdir.string()},
          {"epochs", o.epochs},
          {"batch_size", o.batch_size},
          {"eval_batch_size", o.eval_batch_size},
          {"learning_rate", o.learning_rate},
          {"weight_decay", o.weight_decay},
          {"warmup", o.warmup},
          {"max_grad_norm", o.max_grad_norm},
          {"max_length", o.max_length},
          {"seed", o.seed},
          {"head", o.head},
          {"freeze_encoder", o.freeze_encoder},
          {"feature_cache", o.feature_cache},
          {"standardize_features", o.standardize_features},
          {"grad_accum", o.grad_accum},
          {"class_weights", o.class_weights},
          {"label_smoothing", o.label_smoothing},
          {"bf16", o.bf16},
          {"group_by_length", o.group_by_length},
          {"val_ratio", o.val_ratio},
          {"metric", o.metric},
          {"keep_best", o.keep_best},
          {"patience", o.patience},
          {"save_steps", o.save_steps},
          {"logging_steps", o.logging_steps},
          {"dropout", o.dropout},
          {"adam_beta1", 0.9},
          {"adam_beta2", 0.999},
          {"adam_epsilon", 1e-8},
          {"lr_scheduler_type", "linear"}};
}

nlohmann::json trajectory_fingerprint(const TrainOptions& o) {
  nlohmann::json j = to_json(o);
  for (const char* k : {"out", "logdir", "eval_batch_size", "logging_steps", "save_steps", "model"})
    j.erase(k);
  return j;
}

}  // namespace finsent::train
