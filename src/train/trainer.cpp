// The training loop of Trainer's recipe: AdamW, linear schedule, clipping, seeded epoch order.
#include "finsent/train/trainer.hpp"

#include <cmath>

#include "finsent/core/error.hpp"
#include "finsent/train/autocast.hpp"
#include "finsent/train/batch.hpp"
#include "finsent/train/batching.hpp"
#include "finsent/train/checkpoint.hpp"
#include "finsent/train/grad_clip.hpp"
#include "training_loop.hpp"

namespace finsent::train {
namespace detail {
namespace {

// The example indices of a batch as an int64 index tensor on `device`.
torch::Tensor index_tensor(const std::vector<size_t>& index, torch::Device device) {
  return torch::tensor(std::vector<int64_t>(index.begin(), index.end()), torch::kInt64).to(device);
}

}  // namespace

torch::Tensor Loop::loss_of(const torch::Tensor& logits, const torch::Tensor& targets) const {
  auto options =
      torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(o_.label_smoothing);
  if (class_weights_.defined()) options.weight(class_weights_);
  return torch::nn::functional::cross_entropy(logits.to(torch::kFloat32), targets, options);
}

torch::Tensor Loop::train_logits(const std::vector<size_t>& index) {
  if (train_features_.defined()) {
    const auto features = train_features_.index_select(0, index_tensor(index, o_.device));
    AutocastBf16 autocast(o_.bf16, o_.device.type());
    return model_->classify(features);
  }
  const Batch b = collate(train_ids_, index, pad_id_, o_.device);
  AutocastBf16 autocast(o_.bf16, o_.device.type());
  return model_->forward(b.input_ids, b.attention_mask);
}

EvalScores Loop::evaluate() {
  model_->eval();
  c10::InferenceMode guard;
  std::vector<torch::Tensor> logits;
  const auto n = val_ids_.size();
  const auto bs = static_cast<size_t>(o_.eval_batch_size);
  for (size_t begin = 0; begin < n; begin += bs) {
    const size_t end = std::min(n, begin + bs);
    AutocastBf16 autocast(o_.bf16, o_.device.type());
    if (val_features_.defined()) {
      logits.push_back(model_->classify(
          val_features_.slice(0, static_cast<int64_t>(begin), static_cast<int64_t>(end))));
    } else {
      std::vector<size_t> index;
      for (size_t i = begin; i < end; ++i) index.push_back(i);
      const Batch b = collate(val_ids_, index, pad_id_, o_.device);
      logits.push_back(model_->forward(b.input_ids, b.attention_mask));
    }
  }
  const auto all = torch::cat(logits).to(torch::kFloat32);
  EvalScores out;
  out.loss = torch::nn::functional::cross_entropy(all, val_targets_).item<double>();
  if (!std::isfinite(out.loss)) non_finite("validation loss", out.loss);
  const auto pred = all.argmax(1).to(torch::kCPU);
  std::vector<int> y_pred(pred.data_ptr<int64_t>(), pred.data_ptr<int64_t>() + pred.numel());
  out.scores = selection_scores(val_.labels, y_pred);
  return out;
}

void Loop::non_finite(const std::string& what, double value) const {
  const auto last = latest_checkpoint(o_.out_dir);
  throw Error("non-finite " + what + " (" + std::to_string(value) + ") at step " +
              std::to_string(state_.global_step + 1) + " (epoch " +
              std::to_string(state_.epoch + 1) + "); training stopped. Last good checkpoint: " +
              (last ? last->string() : std::string("none (no checkpoint was saved yet)")) +
              ". Try a lower --lr or --bf16 off.");
}

void Loop::log_step(double loss, double lr, double grad_norm) {
  const double epoch = static_cast<double>(state_.epoch) +
                       static_cast<double>(state_.batch_in_epoch) /
                           static_cast<double>(batches_per_epoch(train_ids_.size()));
  scalar("train/loss", loss);
  scalar("train/learning_rate", lr);
  scalar("train/grad_norm", grad_norm);
  scalar("train/epoch", epoch);
  state_.log_history.push_back({{"step", state_.global_step},
                                {"epoch", epoch},
                                {"loss", loss},
                                {"learning_rate", lr},
                                {"grad_norm", grad_norm}});
}

void Loop::evaluate_epoch(TrainResult& result) {
  if (val_ids_.empty()) return;
  const EvalScores e = evaluate();
  const int64_t epoch = state_.epoch;  // already counts the finished epoch
  scalar("eval/loss", e.loss);
  scalar("eval/accuracy", e.scores.accuracy);
  scalar("eval/macro_f1", e.scores.macro_f1);
  state_.log_history.push_back({{"step", state_.global_step},
                                {"epoch", epoch},
                                {"eval_loss", e.loss},
                                {"eval_accuracy", e.scores.accuracy},
                                {"eval_macro_f1", e.scores.macro_f1}});
  const double value = o_.metric == "loss"       ? e.loss
                       : o_.metric == "accuracy" ? e.scores.accuracy
                                                 : e.scores.macro_f1;
  const bool better = !state_.best_metric || (o_.metric == "loss" ? value < *state_.best_metric
                                                                  : value > *state_.best_metric);
  char line[200];
  std::snprintf(line, sizeof(line), "epoch %lld: eval loss %.4f accuracy %.4f macro-F1 %.4f%s",
                static_cast<long long>(epoch), e.loss, e.scores.accuracy, e.scores.macro_f1,
                better ? " (best so far)" : "");
  note(line);
  if (better) {
    state_.best_metric = value;
    state_.best_epoch = epoch;
    state_.epochs_without_improvement = 0;
    if (o_.keep_best && writes()) save_module_state(*model_, o_.out_dir / "best_model.pt");
  } else {
    ++state_.epochs_without_improvement;
    if (o_.patience > 0 && state_.epochs_without_improvement >= o_.patience)
      result.stopped_early = true;
  }
}

TrainResult Loop::run() {
  o_.validate();
  if (train_.texts.empty()) throw InputError("no training examples");
  if (dp_ && o_.group_by_length)
    throw InputError("--group-by-length does not combine with data-parallel training");
  if (dp_ && !o_.device.is_cpu())
    throw InputError("data-parallel training runs on CPU devices (Gloo) in this release");
  TrainResult result;
  result.model_dir = o_.out_dir;
  load_model(result);
  encode_data();
  make_optimizer();
  cache_frozen_features();
  resume_if_asked(result);
  open_logs();
  start_session();
  while (state_.epoch < o_.epochs && !result.stopped_early) {
    if (!train_epoch(result)) {
      result.interrupted = true;
      result.state = state_;
      return result;
    }
  }
  finish(result);
  return result;
}

std::vector<std::vector<size_t>> Loop::this_epoch_batches() {
  const auto bs = static_cast<size_t>(o_.batch_size);
  if (dp_) return dp_->epoch_batches(train_ids_.size(), bs, o_.seed, state_.epoch);
  return epoch_batches(train_ids_.size(), bs, o_.seed, state_.epoch,
                       o_.group_by_length ? &lengths_ : nullptr);
}

bool Loop::train_epoch(TrainResult& result) {
  const auto batches = this_epoch_batches();
  const auto n_batches = static_cast<int64_t>(batches.size());
  set_train_mode();
  optimizer_->zero_grad();
  for (int64_t bi = state_.batch_in_epoch; bi < n_batches; ++bi) {
    // Trainer scales by the number of batches that make up this update.
    const int64_t window_begin = (bi / o_.grad_accum) * o_.grad_accum;
    const int64_t window = std::min(o_.grad_accum, n_batches - window_begin);
    const bool ends_step = bi + 1 == window_begin + window;
    accumulate_gradients(batches[static_cast<size_t>(bi)], window, ends_step);
    if (!ends_step) continue;
    const auto [lr, grad_norm] = step_optimizer();
    state_.batch_in_epoch = bi + 1;
    log_and_report(lr, grad_norm, n_batches);
    if (!after_step(n_batches)) return false;
  }
  state_.epoch += 1;
  state_.batch_in_epoch = 0;
  printer_->finish();
  evaluate_epoch(result);
  save_checkpoint_now();
  return true;
}

void Loop::finish(TrainResult& result) {
  result.state = state_;
  if (!writes()) return;
  if (result.stopped_early)
    note("early stopping: no improvement of " + o_.metric + " for " + std::to_string(o_.patience) +
         " epochs");
  if (o_.keep_best && state_.best_epoch > 0) {
    load_module_state(*model_, o_.out_dir / "best_model.pt");
    note("keeping the best epoch (" + std::to_string(state_.best_epoch) + ", " + o_.metric + " " +
         std::to_string(*state_.best_metric) + ")");
  }
  model_->eval();
  models::save_pretrained(*model_, *tokenizer_, o_.out_dir);
  write_json(o_.out_dir / "trainer_state.json", to_json(state_));
  result.state = state_;
}

void Loop::set_train_mode() {
  // Dropout on in training unless disabled; the frozen fast path trains only the head.
  if (train_features_.defined())
    model_->head()->train(o_.dropout);
  else
    model_->train(o_.dropout);
}

void Loop::accumulate_gradients(const std::vector<size_t>& index, int64_t window, bool ends_step) {
  const auto targets = train_targets_.index_select(0, index_tensor(index, o_.device));
  const auto loss = loss_of(train_logits(index), targets);
  double loss_value = loss.item<double>();
  // Data-parallel: every rank learns whether any rank's loss is not finite, and stops with it.
  if (dp_) loss_value = dp_->agree_on_loss(loss_value);
  if (!std::isfinite(loss_value)) non_finite("loss", loss_value);
  const bool reduce = dp_ && ends_step;  // as DDP outside no_sync(): the step's last micro-batch
  if (reduce) dp_->reducer().prepare_for_backward();
  (loss / static_cast<double>(window)).backward();
  if (reduce) dp_->reducer().finish_backward();
  loss_sum_ += loss_value;
  ++loss_count_;
  sentences_ += static_cast<int64_t>(index.size()) * (dp_ ? dp_->world_size() : 1);
}

std::pair<double, double> Loop::step_optimizer() {
  const auto params = optimizer_->parameters();
  const GradNorm norm =
      train::grad_norm(params, o_.max_grad_norm > 0 ? o_.max_grad_norm : INFINITY);
  if (!std::isfinite(norm.total)) non_finite("gradient norm", norm.total);
  const double lr = schedule_->lr_at(state_.global_step);
  optimizer_->step(lr, norm.clip_coef);
  optimizer_->zero_grad();
  state_.global_step += 1;
  return {lr, norm.total};
}

void Loop::log_and_report(double lr, double grad_norm, int64_t n_batches) {
  const double mean_loss = loss_sum_ / static_cast<double>(loss_count_);
  if (state_.global_step % o_.logging_steps == 0 || state_.batch_in_epoch == n_batches)
    log_step(mean_loss, lr, grad_norm);
  const double elapsed = seconds_since(session_start_);
  ProgressStats stats;
  stats.epoch = state_.epoch + 1;
  stats.epochs = o_.epochs;
  stats.step = state_.global_step;
  stats.total_steps = total_steps_;
  stats.loss = mean_loss;
  stats.lr = lr;
  stats.sentences_per_second = elapsed > 0 ? static_cast<double>(sentences_) / elapsed : 0;
  const int64_t done = state_.global_step - steps_before_;
  stats.eta_seconds = done > 0 ? elapsed / static_cast<double>(done) *
                                     static_cast<double>(total_steps_ - state_.global_step)
                               : 0;
  printer_->update(stats);
  if (state_.global_step % o_.logging_steps == 0) {
    loss_sum_ = 0;
    loss_count_ = 0;
  }
}

bool Loop::after_step(int64_t n_batches) {
  if (o_.save_steps > 0 && state_.global_step % o_.save_steps == 0 &&
      state_.batch_in_epoch < n_batches)
    save_checkpoint_now();
  if (!output_.after_step || output_.after_step(state_)) return true;
  printer_->finish();
  return false;
}

void Loop::save_checkpoint_now() {
  state_.train_seconds = seconds_before_ + seconds_since(session_start_);
  if (!writes()) return;
  save_checkpoint(o_.out_dir, *model_, *optimizer_, state_);
}

}  // namespace detail

TrainResult train_classifier(const TrainOptions& options, const std::vector<std::string>& labels,
                             const LabeledTexts& train, const LabeledTexts& val,
                             const TrainOutput& output, ProcessGroup* group) {
  detail::Loop loop(options, labels, train, val, output, group);
  return loop.run();
}

std::pair<LabeledTexts, LabeledTexts> carve_validation(const LabeledTexts& data, double val_ratio,
                                                       uint64_t seed) {
  if (val_ratio <= 0) return {data, {}};
  const size_t n = data.texts.size();
  const auto n_val = static_cast<size_t>(std::ceil(static_cast<double>(n) * val_ratio));
  if (n_val >= n) throw InputError("--val-ratio leaves no training examples");
  const auto order = shuffled_indices(n, seed);
  std::vector<bool> is_val(n, false);
  for (size_t i = n - n_val; i < n; ++i) is_val[order[i]] = true;
  LabeledTexts train, val;
  for (size_t i = 0; i < n; ++i) {
    auto& dst = is_val[i] ? val : train;
    dst.texts.push_back(data.texts[i]);
    dst.labels.push_back(data.labels[i]);
  }
  return {train, val};
}

}  // namespace finsent::train
