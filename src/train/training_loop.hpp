// The training loop behind train_classifier: one object per run, its setup steps in
// training_loop_setup.cpp, the epochs in trainer.cpp. Private to finsent_train.
#pragma once

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>

#include "finsent/core/printable.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "finsent/train/adamw.hpp"
#include "finsent/train/data_parallel.hpp"
#include "finsent/train/lr_schedule.hpp"
#include "finsent/train/progress.hpp"
#include "finsent/train/scalar_log.hpp"
#include "finsent/train/selection_metrics.hpp"
#include "finsent/train/trainer.hpp"
#include "finsent/train/trainer_state.hpp"

namespace finsent::train::detail {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

inline void write_json(const std::filesystem::path& file, const nlohmann::json& doc) {
  io::write_file_atomic(file, doc.dump(2) + '\n');
}

// What one pass of evaluation over a labeled set gives.
struct EvalScores {
  double loss = 0;
  SelectionScores scores;
};

class Loop {
 public:
  Loop(const TrainOptions& o, const std::vector<std::string>& labels, const LabeledTexts& train,
       const LabeledTexts& val, const TrainOutput& output, ProcessGroup* group)
      : o_(o), labels_(labels), train_(train), val_(val), output_(output) {
    if (group) dp_ = std::make_unique<DataParallel>(*group);
    if (!writes()) output_.progress = &silent_;  // one rank reports
  }

  TrainResult run();

 private:
  // The steps of run(), in order.
  void load_model(TrainResult& result);
  void encode_data();
  void make_optimizer();
  void cache_frozen_features();
  torch::Tensor features_of(const std::vector<std::vector<int64_t>>& ids);
  void resume_if_asked(TrainResult& result);
  void open_logs();
  void start_session();
  bool train_epoch(TrainResult& result);  // false: output_.after_step stopped the run
  void finish(TrainResult& result);

  // The steps of one epoch.
  void set_train_mode();
  void accumulate_gradients(const std::vector<size_t>& index, int64_t window, bool ends_step);
  bool writes() const { return !dp_ || dp_->writes(); }
  int64_t batches_per_epoch(size_t n) const {
    const auto bs = static_cast<size_t>(o_.batch_size);
    return dp_ ? dp_->batches_per_epoch(n, bs) : static_cast<int64_t>((n + bs - 1) / bs);
  }
  void scalar(const std::string& tag, double value) {
    if (log_) log_->add(tag, value, state_.global_step);
  }
  std::vector<std::vector<size_t>> this_epoch_batches();
  void resume_position(const TrainerState& loaded);
  std::pair<double, double> step_optimizer();  // (learning rate, gradient norm)
  void log_and_report(double lr, double grad_norm, int64_t n_batches);
  bool after_step(int64_t n_batches);  // false: stop the run now
  void save_checkpoint_now();

  torch::Tensor loss_of(const torch::Tensor& logits, const torch::Tensor& targets) const;
  torch::Tensor train_logits(const std::vector<size_t>& index);
  EvalScores evaluate();
  void log_step(double loss, double lr, double grad_norm);
  void evaluate_epoch(TrainResult& result);
  [[noreturn]] void non_finite(const std::string& what, double value) const;
  void note(const std::string& line) const {
    if (output_.progress) *output_.progress << printable(line) << '\n' << std::flush;
  }

  const TrainOptions& o_;
  std::unique_ptr<DataParallel> dp_;  // data-parallel runs only
  std::ostream silent_{nullptr};      // progress of the ranks that do not report
  const std::vector<std::string>& labels_;
  const LabeledTexts& train_;
  const LabeledTexts& val_;
  TrainOutput output_;

  std::shared_ptr<const text::Tokenizer> tokenizer_;
  models::SequenceClassifier model_{nullptr};
  std::vector<std::vector<int64_t>> train_ids_, val_ids_;
  torch::Tensor train_targets_, val_targets_, class_weights_;
  torch::Tensor train_features_, val_features_;  // frozen fast path only
  std::unique_ptr<AdamW> optimizer_;
  std::optional<LinearSchedule> schedule_;
  int64_t total_steps_ = 0;
  std::unique_ptr<ScalarLog> log_;
  TrainerState state_;
  int64_t pad_id_ = 0;
  double loss_sum_ = 0;
  int64_t loss_count_ = 0;

  // This session (a resumed run starts a new one).
  std::vector<size_t> lengths_;  // for --group-by-length
  std::optional<ProgressPrinter> printer_;
  Clock::time_point session_start_;
  double seconds_before_ = 0;
  int64_t steps_before_ = 0;
  int64_t sentences_ = 0;
};

}  // namespace finsent::train::detail
