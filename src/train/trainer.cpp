// The training loop of Trainer's recipe: AdamW, linear schedule, clipping, seeded epoch order.
#include "finsent/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <optional>

#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/models/fine_tune_start.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "finsent/train/adamw.hpp"
#include "finsent/train/autocast.hpp"
#include "finsent/train/batch.hpp"
#include "finsent/train/batching.hpp"
#include "finsent/train/checkpoint.hpp"
#include "finsent/train/class_weights.hpp"
#include "finsent/train/data_parallel.hpp"
#include "finsent/train/grad_clip.hpp"
#include "finsent/train/lr_schedule.hpp"
#include "finsent/train/progress.hpp"
#include "finsent/train/scalar_log.hpp"
#include "finsent/train/selection_metrics.hpp"
#include "frozen_features.hpp"

namespace finsent::train {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void write_json(const fs::path& file, const nlohmann::json& doc) {
  io::write_file_atomic(file, doc.dump(2) + '\n');
}

// Embedding tables train with sparse gradients: a batch touches a few hundred of MiniLM's 30,522
// word rows, and the dense gradient's zero fill and norm cost ~3 ms a step. AdamW steps a sparse
// gradient exactly as its dense form, so the run is the same up to summation order.
void use_sparse_embedding_gradients(torch::nn::Module& model) {
  for (const auto& m : model.modules(/*include_self=*/false))
    if (auto* embedding = m->as<torch::nn::Embedding>()) embedding->options.sparse(true);
}

// Whether `param` is the table of an embedding that trains with sparse gradients.
bool has_sparse_gradient(torch::nn::Module& model, const torch::Tensor& param) {
  for (const auto& m : model.modules(/*include_self=*/false))
    if (auto* embedding = m->as<torch::nn::Embedding>())
      if (embedding->options.sparse() && embedding->weight.is_same(param)) return true;
  return false;
}

// The example indices of a batch as an int64 index tensor on `device`.
torch::Tensor index_tensor(const std::vector<size_t>& index, torch::Device device) {
  return torch::tensor(std::vector<int64_t>(index.begin(), index.end()), torch::kInt64).to(device);
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

void Loop::load_model(TrainResult& result) {
  // Seeded before the head is created, as Trainer seeds before model init.
  torch::manual_seed(o_.seed);
  tokenizer_ = text::load_tokenizer(o_.model_dir);
  models::FineTuneStart start = models::start_fine_tuning(
      o_.model_dir, labels_, o_.head, models::ClassifierOptions{}.linear_dropout);
  model_ = start.model;
  // Loaded on the CPU (the head seeded there, as on every device), then moved once.
  if (model_->device() != o_.device) model_->to(o_.device);
  if (dp_) dp_->broadcast_module(*model_);
  note((start.head_replaced ? "warning: " : "") + start.message);
  result.head.kept = start.head_kept;
  result.head.replaced = start.head_replaced;
  result.head.initialized = start.initialized;
  result.head.message = start.message;
  if (o_.freeze_encoder)
    model_->freeze_encoder(true);
  else
    use_sparse_embedding_gradients(*model_);
  pad_id_ = tokenizer_->pad_id();
}

void Loop::encode_data() {
  // A longer limit than the model's position table would only fail later, inside the encoder.
  const int64_t max_length = std::min(o_.max_length, models::max_sequence_length(model_->config()));
  train_ids_ = encode_texts(*tokenizer_, train_.texts, max_length);
  val_ids_ = encode_texts(*tokenizer_, val_.texts, max_length);
  auto to_targets = [this](const std::vector<int>& y) {
    return torch::tensor(std::vector<int64_t>(y.begin(), y.end()), torch::kInt64).to(o_.device);
  };
  train_targets_ = to_targets(train_.labels);
  val_targets_ = to_targets(val_.labels);
  if (o_.class_weights == "balanced") {
    const auto w = balanced_class_weights(train_.labels, static_cast<int>(labels_.size()));
    class_weights_ = torch::tensor(w, torch::kFloat64).to(o_.device, torch::kFloat32);
  }
}

void Loop::make_optimizer() {
  optimizer_ = std::make_unique<AdamW>(trainer_param_groups(*model_, o_.weight_decay));
  const int64_t steps_per_epoch =
      (batches_per_epoch(train_ids_.size()) + o_.grad_accum - 1) / o_.grad_accum;
  total_steps_ = steps_per_epoch * o_.epochs;
  schedule_.emplace(o_.learning_rate, warmup_steps_from(o_.warmup, total_steps_), total_steps_);
  if (dp_) {
    auto params = optimizer_->parameters();
    std::vector<bool> sparse;
    for (const auto& p : params) sparse.push_back(has_sparse_gradient(*model_, p));
    dp_->reduce_gradients_of(std::move(params), std::move(sparse));
  }
}

void Loop::cache_frozen_features() {
  // Before --resume restores the head: the encoder is frozen, so the features (and their
  // statistics) are the same as in the interrupted run.
  if (!o_.freeze_encoder || !(o_.feature_cache || o_.standardize_features)) return;
  const auto t0 = Clock::now();
  train_features_ = features_of(train_ids_);
  if (o_.feature_cache) val_features_ = features_of(val_ids_);
  char line[120];
  std::snprintf(line, sizeof(line), "frozen encoder: features of %zu sentences computed in %.1fs",
                train_ids_.size() + (o_.feature_cache ? val_ids_.size() : 0), seconds_since(t0));
  note(line);
  if (o_.standardize_features) {
    // StandardScaler: population standard deviation; a constant feature keeps scale 1.
    const auto scale = train_features_.std(0, /*unbiased=*/false);
    model_->head()->standardize_inputs(train_features_.mean(0),
                                       torch::where(scale > 0, scale, torch::ones_like(scale)));
  }
  if (!o_.feature_cache) train_features_ = torch::Tensor();
}

torch::Tensor Loop::features_of(const std::vector<std::vector<int64_t>>& ids) {
  auto compute = [&](const std::vector<std::vector<int64_t>>& subset) {
    return cached_features(*model_, subset, o_.eval_batch_size, pad_id_, o_.bf16);
  };
  if (!dp_ || ids.empty()) return compute(ids);
  // Each rank encodes its shard; the features are gathered, so every rank trains on all of them.
  return dp_->sharded_rows(ids.size(), [&](const std::vector<size_t>& shard) {
    std::vector<std::vector<int64_t>> subset;
    for (size_t i : shard) subset.push_back(ids[i]);
    return compute(subset);
  });
}

void Loop::resume_if_asked(TrainResult& result) {
  std::error_code ec;
  if (writes()) fs::create_directories(o_.out_dir, ec);
  if (ec) throw IoError(o_.out_dir.string() + ": cannot create: " + ec.message());
  state_.fingerprint = trajectory_fingerprint(o_);
  state_.world_size = dp_ ? dp_->world_size() : 1;
  if (o_.resume.empty()) return;
  const auto ckpt = latest_checkpoint(o_.resume);
  if (!ckpt)
    throw InputError("--resume " + o_.resume.string() + ": no complete checkpoint-N folder there");
  TrainerState loaded = load_checkpoint(*ckpt, *model_, *optimizer_);
  if (loaded.fingerprint != state_.fingerprint)
    throw InputError("--resume " + ckpt->string() +
                     ": the checkpoint was made with other training options (" +
                     loaded.fingerprint.dump() + "); give the same flags as the interrupted run");
  resume_position(loaded);
  result.resumed = true;
  note("resuming from " + ckpt->string() + " at step " + std::to_string(state_.global_step) +
       " (epoch " + std::to_string(state_.epoch + 1) + ", batch " +
       std::to_string(state_.batch_in_epoch) + ")");
}

// Takes the checkpoint's state; a run with another world size continues its epoch after the
// examples already seen: DistributedSampler's shares of one order at any world size, taken in
// global batches, consume that order from its start.
void Loop::resume_position(const TrainerState& loaded) {
  const int64_t world = state_.world_size;
  state_ = loaded;
  if (loaded.world_size == world) return;
  const int64_t seen = loaded.batch_in_epoch * loaded.world_size;  // in per-rank batches
  state_.batch_in_epoch = (seen + world - 1) / world;
  state_.world_size = world;
  note("the checkpoint was made by " + std::to_string(loaded.world_size) +
       " rank(s), this run has " + std::to_string(world) + ": epoch " +
       std::to_string(state_.epoch + 1) + " continues at batch " +
       std::to_string(state_.batch_in_epoch) + " of each rank");
}

void Loop::open_logs() {
  if (!writes()) return;
  write_json(o_.out_dir / "training_args.json", to_json(o_));
  log_ = std::make_unique<ScalarLog>(o_.logdir.empty() ? o_.out_dir / "runs" : o_.logdir);
}

void Loop::start_session() {
  if (o_.group_by_length)
    for (const auto& ids : train_ids_) lengths_.push_back(ids.size());
  printer_.emplace(output_.progress ? *output_.progress : std::cerr, output_.tty, o_.logging_steps);
  session_start_ = Clock::now();
  seconds_before_ = state_.train_seconds;
  steps_before_ = state_.global_step;
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

}  // namespace

TrainResult train_classifier(const TrainOptions& options, const std::vector<std::string>& labels,
                             const LabeledTexts& train, const LabeledTexts& val,
                             const TrainOutput& output, ProcessGroup* group) {
  Loop loop(options, labels, train, val, output, group);
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
