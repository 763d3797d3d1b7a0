// The training loop's setup: model and head, encoded data, optimizer and schedule, frozen
// features, --resume, logs.
#include <cstdio>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/models/fine_tune_start.hpp"
#include "finsent/train/batch.hpp"
#include "finsent/train/checkpoint.hpp"
#include "finsent/train/class_weights.hpp"
#include "frozen_features.hpp"
#include "training_loop.hpp"

namespace finsent::train::detail {
namespace fs = std::filesystem;
namespace {

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

}  // namespace

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

}  // namespace finsent::train::detail
