// `finsent train`: fine-tune a classifier on the training split, score it on the test split.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "cli_device_option.hpp"
#include "cli_launch_options.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/eval/metrics.hpp"
#include "finsent/models/registry.hpp"
#include "finsent/pipeline/train_and_evaluate.hpp"
#include "finsent/train/dist_env.hpp"
#include "finsent/train/process_group.hpp"

namespace finsent::app {
namespace {

struct TrainArgs {
  DataOptions data;
  train::TrainOptions options;
  std::string model, out, logdir, resume, device;
  LaunchOptions launch;
  double dist_timeout = 300;  // seconds
  bool json = false;
  int64_t stop_after_steps = 0;  // testing aid: end the run after N steps with exit code 75
};

void print(const TrainArgs& a, const pipeline::TrainAndEvaluateResult& r) {
  if (a.json) {
    std::cout << r.metrics.dump() << '\n';
  } else {
    std::cout << "test split (" << r.test_rows << " sentences):\n"
              << eval::format_report(r.test.report);
    std::printf("training %.1fs, total %.1fs; model saved to %s\n", r.training.state.train_seconds,
                r.wall_seconds, a.options.out_dir.c_str());
  }
  std::cout.flush();  // the report first, then the warning, when both go to one place
  if (r.collapse) std::cerr << "finsent: warning: " << printable(r.collapse->message) << '\n';
}

// With --nproc-per-node (and no RANK yet) this process only launches the ranks and ends with
// their verdict; a rank (RANK set, by the launcher or torchrun) joins the c10d group and trains.
std::unique_ptr<train::ProcessGroup> launch_or_join(const TrainArgs& a) {
  const char* rank = std::getenv("RANK");
  if (is_launcher(a.launch, rank != nullptr && *rank != '\0'))
    std::exit(launch_local_ranks(command_line(), a.launch));
  const auto dist = train::dist_env_from_environment();
  if (!dist) return nullptr;
  train::ProcessGroupOptions g;
  g.rank = dist->rank;
  g.world_size = dist->world_size;
  if (!dist->master_addr.empty()) g.master_addr = dist->master_addr;
  if (dist->master_port > 0) g.master_port = dist->master_port;
  g.timeout = std::chrono::milliseconds(static_cast<int64_t>(a.dist_timeout * 1000));
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME")) g.interface = ifname;
  return std::make_unique<train::ProcessGroup>(g);
}

void run(TrainArgs& a) {
  const auto group = launch_or_join(a);
  auto& o = a.options;
  o.device = device_from(a.device);
  o.model_dir = a.model;
  o.out_dir = a.out;
  o.logdir = a.logdir.empty() ? o.out_dir / "runs" : std::filesystem::path(a.logdir);
  o.resume = a.resume;
  std::ostream& progress = a.json ? std::cerr : std::cout;
  const bool tty = ::isatty(a.json ? 2 : 1) != 0;
  train::TrainOutput output{&progress, tty, {}};
  if (a.stop_after_steps > 0)
    output.after_step = [n = a.stop_after_steps](const train::TrainerState& state) {
      return state.global_step != n;
    };
  const auto result = pipeline::train_and_evaluate(a.data, o, output, group.get());
  if (!result.reports) return;  // a rank other than 0: rank 0 reports
  if (result.training.interrupted) {
    // Cut as a kill would cut it (no metrics, no model): the exit status tests look for.
    progress.flush();
    std::exit(75);
  }
  print(a, result);
}

RegisterCommand reg(50, [](CLI::App& root) {
  auto a = std::make_shared<TrainArgs>();
  auto& o = a->options;
  CLI::App* cmd = root.add_subcommand(
      "train",
      "Fine-tune a classifier (frozen or unfrozen encoder) and score it on the test split");
  add_data_options(cmd, a->data);
  cmd->add_option("--model", a->model, "Model directory or cached Hub id to start from")
      ->required()
      ->transform(model_dir_or_hub_id());
  cmd->add_option("--out", a->out, "Output model directory (+ checkpoints, logs, metrics.json)")
      ->required();
  cmd->add_option("--logdir", a->logdir, "TensorBoard/CSV/JSONL scalars (default OUT/runs)");
  cmd->add_option("--epochs", o.epochs, "Training epochs")->capture_default_str();
  cmd->add_option("--batch-size", o.batch_size, "Sentences per batch")->capture_default_str();
  cmd->add_option("--eval-batch-size", o.eval_batch_size, "Sentences per evaluation batch")
      ->capture_default_str();
  cmd->add_option("--lr", o.learning_rate, "Peak learning rate (AdamW)")->capture_default_str();
  cmd->add_option("--weight-decay", o.weight_decay,
                  "AdamW decoupled weight decay (not on biases/LayerNorm)")
      ->capture_default_str();
  cmd->add_option("--warmup", o.warmup, "Warmup: steps if >= 1, else a ratio of all steps")
      ->capture_default_str();
  cmd->add_option("--max-grad-norm", o.max_grad_norm, "Gradient clipping norm (0: off)")
      ->capture_default_str();
  cmd->add_option("--max-length", o.max_length, "Max tokens per sentence (special tokens included)")
      ->capture_default_str();
  cmd->add_option("--train-seed", o.seed,
                  "Seed for head init, dropout, epoch order and --val-ratio")
      ->capture_default_str();
  cmd->add_option("--head", o.head, "Head: " + finsent::models::head_choices())
      ->capture_default_str();
  cmd->add_flag("--freeze-encoder", o.freeze_encoder, "Train only the head (features cached once)");
  cmd->add_flag("--standardize-features", o.standardize_features,
                "With --freeze-encoder: standardize the head's features with the training split's "
                "mean and standard deviation");
  cmd->add_option("--grad-accum", o.grad_accum, "Batches per optimizer step")
      ->capture_default_str();
  cmd->add_option("--class-weights", o.class_weights, "none | balanced (sklearn)")
      ->capture_default_str();
  cmd->add_option("--label-smoothing", o.label_smoothing, "Cross-entropy label smoothing")
      ->capture_default_str();
  cmd->add_flag("--bf16", o.bf16, "bf16 autocast on CPU (fp32 master weights)");
  cmd->add_flag("--group-by-length", o.group_by_length,
                "Batch sentences of similar length together");
  cmd->add_option("--val-ratio", o.val_ratio, "Share of the training split held out for validation")
      ->capture_default_str();
  cmd->add_option("--metric", o.metric, "Selection metric: accuracy | macro_f1 | loss")
      ->capture_default_str();
  cmd->add_flag("!--no-keep-best", o.keep_best,
                "Save the last epoch instead of the best validated one");
  cmd->add_option("--patience", o.patience,
                  "Early stopping after N epochs without improvement (0: off)")
      ->capture_default_str();
  cmd->add_option("--save-steps", o.save_steps,
                  "Also checkpoint every N steps (0: each epoch only)")
      ->capture_default_str();
  cmd->add_option("--logging-steps", o.logging_steps, "Log scalars every N steps")
      ->capture_default_str();
  cmd->add_option("--resume", a->resume, "Continue the run whose checkpoints are in DIR");
  add_device_option(cmd, a->device);
  add_launch_options(cmd, a->launch);
  cmd->add_option("--dist-timeout", a->dist_timeout,
                  "Data-parallel runs: seconds a rank waits for the others (rendezvous, each "
                  "collective) before it stops with an error")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str()
      ->group("Distributed");
  cmd->add_flag("--json", a->json,
                "Print the test metrics as one JSON document (progress to stderr)");
  // Testing aids, hidden from --help.
  cmd->add_option("--stop-after-steps", a->stop_after_steps)->group("");
  cmd->add_flag("!--no-dropout", o.dropout)->group("");
  cmd->add_flag("!--no-feature-cache", o.feature_cache)->group("");
  cmd->callback([a] { run(*a); });
});

}  // namespace
}  // namespace finsent::app
