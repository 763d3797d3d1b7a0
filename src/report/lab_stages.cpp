// The lab's stages: each calls one layer's library API and returns its result as JSON.
#include "lab_stages.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/eval/metrics.hpp"
#include "finsent/models/encoder.hpp"
#include "finsent/pipeline/collapse_warning.hpp"
#include "finsent/pipeline/evaluate.hpp"
#include "finsent/pipeline/predict.hpp"
#include "finsent/pipeline/prepare_data.hpp"
#include "finsent/text/length_stats.hpp"
#include "finsent/text/tokenizer.hpp"
#include "finsent/train/trainer.hpp"

namespace finsent::report::detail {
namespace fs = std::filesystem;
using nlohmann::json;

const data::Split& LabContext::get_split() {
  if (!split) split = pipeline::load_split({options.data, options.split});
  return *split;
}

int64_t choose_max_len(int64_t max_len_999, int64_t model_limit) {
  const int64_t rounded = (std::max<int64_t>(max_len_999, 1) + 7) / 8 * 8;
  return std::min(rounded, model_limit);
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The data file's identity: path, size and modification time (a changed file reruns everything).
json data_identity(LabContext& c) {
  const auto& d = c.options.data;
  std::error_code ec;
  const auto size = fs::file_size(d.path, ec);
  const auto mtime = fs::last_write_time(d.path, ec).time_since_epoch().count();
  return {{"path", fs::absolute(d.path).lexically_normal().string()},
          {"size", ec ? 0 : size},
          {"mtime", ec ? 0 : mtime},
          {"format", d.format},
          {"text_column", d.text_column},
          {"label_column", d.label_column},
          {"seed", c.options.split.seed},
          {"test_ratio", c.options.split.test_ratio},
          {"stratified", c.options.split.stratified}};
}

json model_identity(LabContext& c) {
  return {{"data", data_identity(c)},
          {"model", fs::absolute(c.options.model_dir).lexically_normal().string()}};
}

json run_stats(LabContext& c) {
  const pipeline::ClassBalance b = pipeline::class_balance(c.get_split());
  return {{"file", c.options.data.path.string()},
          {"rows", b.rows},
          {"train_rows", b.train_rows},
          {"test_rows", b.test_rows},
          {"labels", b.labels},
          {"counts", {{"all", b.all}, {"train", b.train}, {"test", b.test}}},
          {"majority_label", b.labels[b.majority]},
          {"majority_accuracy", b.majority_accuracy},
          {"split",
           {{"seed", c.options.split.seed},
            {"test_ratio", c.options.split.test_ratio},
            {"stratified", c.options.split.stratified}}}};
}

json run_baseline(LabContext& c) {
  const auto start = std::chrono::steady_clock::now();
  const auto result = baseline::run_naive_bayes_baseline(c.get_split());
  const double seconds = seconds_since(start);
  const auto report = eval::classification_report(result.y_true, result.y_pred, result.labels);
  return {{"metrics", eval::to_json(report)},
          {"vocabulary_size", result.vocabulary_size},
          {"train_seconds", seconds}};
}

json run_tokenizer(LabContext& c) {
  const auto tokenizer_ptr = text::load_tokenizer(c.options.model_dir);
  const text::Tokenizer& tokenizer = *tokenizer_ptr;
  const auto& train = c.get_split().train;
  json examples = json::array();
  for (size_t i = 0; i < std::min<size_t>(3, train.size()); ++i) {
    const auto enc = tokenizer.encode(train[i].text);
    examples.push_back({{"text", train[i].text},
                        {"label", train[i].label},
                        {"ids", enc.ids},
                        {"tokens", enc.tokens},
                        {"decoded", tokenizer.decode(enc.ids)}});
  }
  return {{"vocab_size", tokenizer.vocab_size()}, {"examples", examples}};
}

json run_lengths(LabContext& c) {
  const auto tokenizer_ptr = text::load_tokenizer(c.options.model_dir);
  const text::Tokenizer& tokenizer = *tokenizer_ptr;
  std::vector<std::string> texts;
  for (const auto& e : c.get_split().train) texts.push_back(e.text);
  const auto lengths = text::token_lengths(tokenizer, texts);
  const auto stats = text::length_stats(lengths);
  const int64_t model_limit =
      models::max_sequence_length(models::ModelConfig::load(c.options.model_dir));
  return {{"lengths", lengths},
          {"count", stats.count},
          {"min", stats.min},
          {"max", stats.max},
          {"mean", stats.mean},
          {"p50", stats.p50},
          {"p90", stats.p90},
          {"p95", stats.p95},
          {"p99", stats.p99},
          {"max_len_999", stats.max_len_999},
          {"max_len_100", stats.max_len_100},
          {"padding_saved_999", stats.padding_saved_999},
          {"model_limit", model_limit},
          {"max_len", choose_max_len(static_cast<int64_t>(stats.max_len_999), model_limit)}};
}

json recipe_json(const Recipe& r) {
  return {{"epochs", r.epochs},
          {"batch_size", r.batch_size},
          {"learning_rate", r.learning_rate},
          {"weight_decay", r.weight_decay},
          {"warmup", r.warmup},
          {"head", r.head},
          {"freeze_encoder", r.freeze_encoder},
          {"group_by_length", r.group_by_length}};
}

const Recipe& recipe_of(LabContext& c, const std::string& which) {
  return which == "frozen" ? c.options.frozen : c.options.unfrozen;
}

fs::path model_out(LabContext& c, const std::string& which) {
  return c.options.out_dir / "models" / which;
}

json train_inputs(LabContext& c, const std::string& which) {
  return {{"model", model_identity(c)},
          {"recipe", recipe_json(recipe_of(c, which))},
          {"max_len", c.results.at("lengths").at("max_len")}};
}

json run_train(LabContext& c, const std::string& which) {
  const Recipe& r = recipe_of(c, which);
  // The head learns the training split's classes; a class found only in the test split is still
  // scored by run_eval.
  const pipeline::TrainingSet training = pipeline::training_set(c.get_split());
  train::TrainOptions o;
  o.device = c.options.device;
  o.model_dir = c.options.model_dir;
  o.out_dir = model_out(c, which);
  o.logdir = c.options.out_dir / "runs" / which;
  o.epochs = r.epochs;
  o.batch_size = r.batch_size;
  o.learning_rate = r.learning_rate;
  o.weight_decay = r.weight_decay;
  o.warmup = r.warmup;
  o.head = r.head;
  o.freeze_encoder = r.freeze_encoder;
  o.group_by_length = r.group_by_length;
  o.max_length = c.results.at("lengths").at("max_len").get<int64_t>();
  // A previous, different run must not be resumed or mixed in.
  fs::remove_all(o.out_dir);
  fs::remove_all(o.logdir);
  train::TrainOutput output;
  output.progress = c.options.progress;
  output.tty = c.options.tty;
  const auto result =
      train::train_classifier(o, training.encoder.labels(), training.texts, {}, output);
  json history = json::array();
  for (const auto& h : result.state.log_history) {
    if (h.contains("loss")) history.push_back(h);
  }
  return {{"model_dir", o.out_dir.string()},
          {"options", train::to_json(o)},
          {"train_seconds", result.state.train_seconds},
          {"steps", result.state.global_step},
          {"history", history}};
}

json run_eval(LabContext& c, const std::string& which) {
  auto classifier = pipeline::load_classifier(model_out(c, which), c.options.device);
  const pipeline::TestSet test = pipeline::test_set(c.get_split());
  const auto start = std::chrono::steady_clock::now();
  const auto report = pipeline::evaluate_classifier(classifier, test.texts, test.gold, 64).report;
  const double seconds = seconds_since(start);
  const auto collapse = pipeline::collapse_warning(report, "test sentences",
                                                   c.results.at("train-" + which).at("options"));
  if (collapse && c.options.progress)
    *c.options.progress << "warning: " << which << " model: " << printable(collapse->message)
                        << "\n";
  return {
      {"metrics", eval::to_json(report)},
      {"collapse", pipeline::collapse_json(collapse)},
      {"eval_seconds", seconds},
      {"sentences_per_second", seconds > 0 ? static_cast<double>(test.texts.size()) / seconds : 0}};
}

json run_predict(LabContext& c) {
  json out = {{"sentences", exercise_sentences()}, {"models", json::object()}};
  for (const std::string which : {"frozen", "unfrozen"}) {
    pipeline::PredictOptions options;
    options.device = c.options.device;
    const auto result = pipeline::predict(model_out(c, which), exercise_sentences(), options);
    json rows = json::array();
    for (const auto& p : result.predictions) {
      rows.push_back({{"label", p.label}, {"score", p.score}, {"probabilities", p.probabilities}});
    }
    out["models"][which] = {{"labels", result.labels}, {"predictions", rows}};
  }
  return out;
}

}  // namespace

const std::vector<StageSpec>& lab_stages() {
  static const std::vector<StageSpec> stages = {
      {"stats",
       "Data statistics",
       {},
       [](LabContext& c) {
         return json{{"data", data_identity(c)}};
       },
       run_stats},
      {"baseline",
       "TF-IDF + Naive Bayes baseline",
       {"stats"},
       [](LabContext& c) {
         return json{{"data", data_identity(c)}};
       },
       run_baseline},
      {"tokenizer",
       "Tokenizer demo",
       {"stats"},
       [](LabContext& c) { return model_identity(c); },
       run_tokenizer},
      {"lengths",
       "Token lengths and MAX_LEN",
       {"stats"},
       [](LabContext& c) { return model_identity(c); },
       run_lengths},
      {"train-frozen",
       "Training, frozen encoder (notebook)",
       {"stats", "lengths"},
       [](LabContext& c) { return train_inputs(c, "frozen"); },
       [](LabContext& c) { return run_train(c, "frozen"); }},
      {"train-unfrozen",
       "Training, unfrozen (improved recipe)",
       {"stats", "lengths"},
       [](LabContext& c) { return train_inputs(c, "unfrozen"); },
       [](LabContext& c) { return run_train(c, "unfrozen"); }},
      {"eval-frozen",
       "Evaluation, frozen model",
       {"train-frozen"},
       [](LabContext& c) { return c.results.at("train-frozen").at("options"); },
       [](LabContext& c) { return run_eval(c, "frozen"); }},
      {"eval-unfrozen",
       "Evaluation, unfrozen model",
       {"train-unfrozen"},
       [](LabContext& c) { return c.results.at("train-unfrozen").at("options"); },
       [](LabContext& c) { return run_eval(c, "unfrozen"); }},
      {"predict",
       "Exercise 8: new sentences",
       {"train-frozen", "train-unfrozen"},
       [](LabContext& c) {
         return json{{"frozen", c.results.at("train-frozen").at("options")},
                     {"unfrozen", c.results.at("train-unfrozen").at("options")},
                     {"sentences", exercise_sentences()}};
       },
       run_predict},
  };
  return stages;
}

}  // namespace finsent::report::detail
