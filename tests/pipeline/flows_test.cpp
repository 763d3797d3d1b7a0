// The flows end to end on the tiny BERT fixture: train and evaluate, evaluate a saved model,
// predict; each reports what the others compute.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/pipeline/evaluate.hpp"
#include "finsent/pipeline/predict.hpp"
#include "finsent/pipeline/train_and_evaluate.hpp"
#include "train/phrasebank_sample.hpp"

namespace finsent::pipeline {
namespace {
namespace fs = std::filesystem;

struct TinyRun {
  fs::path dir, data, out;
  DataOptions data_options;
  train::TrainOptions options;
};

TinyRun tiny_run(const std::string& name) {
  TinyRun r;
  r.dir =
      fs::temp_directory_path() / ("finsent_pipeline_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(r.dir);
  r.data = r.dir / "Sentences_tiny.txt";
  testing::write_data(r.data);
  r.out = r.dir / "model";
  r.data_options.source.path = r.data;
  r.options.model_dir = fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert";
  r.options.out_dir = r.out;
  r.options.logdir = r.out / "runs";
  r.options.epochs = 1;
  r.options.batch_size = 4;
  r.options.learning_rate = 1e-3;
  r.options.max_length = 32;
  return r;
}

TEST(TrainAndEvaluate, WritesMetricsOfTheReloadedModelOnTheTestSplit) {
  const TinyRun run = tiny_run("train");
  std::ostringstream progress;
  const auto r = train_and_evaluate(run.data_options, run.options, {&progress, false, {}});
  ASSERT_FALSE(r.training.interrupted);
  // 36 sentences: floor(36 * 0.85) = 30 train, 6 test.
  EXPECT_EQ(progress.str().rfind(
                "training on 30 sentences, testing on 6; labels: negative neutral positive\n", 0),
            0u)
      << progress.str();
  EXPECT_EQ(r.test_rows, 6u);
  std::ifstream in(run.out / "metrics.json");
  const nlohmann::json written = nlohmann::json::parse(in);
  EXPECT_EQ(written, r.metrics);
  EXPECT_EQ(written["split"], "test");
  EXPECT_EQ(written["global_step"], r.training.state.global_step);
  EXPECT_EQ(written["accuracy"], r.test.report.accuracy);
  for (const char* key : {"train_seconds", "wall_seconds", "best_epoch", "stopped_early", "head",
                          "collapse", "confusion_matrix", "labels"})
    EXPECT_TRUE(written.contains(key)) << key;

  // `finsent eval` on the saved model scores what training scored.
  EvaluateOptions e;
  e.data = run.data_options;
  e.model_dir = run.out;
  e.predictions = run.dir / "predictions.jsonl";
  const SavedModelEvaluation evaluated = evaluate_saved_model(e);
  EXPECT_EQ(evaluated.test_rows, 6u);
  EXPECT_EQ(eval::to_json(evaluated.evaluation.report), eval::to_json(r.test.report));
  EXPECT_EQ(collapse_json(evaluated.collapse)["label"], collapse_json(r.collapse)["label"]);
  std::ifstream lines(e.predictions);
  size_t n = 0;
  for (std::string line; std::getline(lines, line);) ++n;
  EXPECT_EQ(n, 6u);

  // predict gives the same labels and probabilities.
  const TestSet test = test_set(load_split(run.data_options));
  const ModelPredictions p = predict(run.out, test.texts);
  EXPECT_EQ(p.labels, (std::vector<std::string>{"negative", "neutral", "positive"}));
  ASSERT_EQ(p.predictions.size(), 6u);
  for (size_t i = 0; i < p.predictions.size(); ++i) {
    EXPECT_EQ(p.predictions[i].label, r.test.predictions[i].label);
    EXPECT_EQ(p.predictions[i].probabilities, r.test.predictions[i].probabilities);
  }
  fs::remove_all(run.dir);
}

TEST(TrainAndEvaluate, AnInterruptedRunWritesNoMetrics) {
  const TinyRun run = tiny_run("interrupted");
  train::TrainOutput output;
  output.after_step = [](const train::TrainerState& s) { return s.global_step != 2; };
  const auto r = train_and_evaluate(run.data_options, run.options, output);
  EXPECT_TRUE(r.training.interrupted);
  EXPECT_EQ(r.training.state.global_step, 2);
  EXPECT_FALSE(fs::exists(run.out / "metrics.json"));
  EXPECT_TRUE(r.metrics.is_null());
  fs::remove_all(run.dir);
}

TEST(TrainAndEvaluate, BadOptionsFailBeforeAnythingIsWritten) {
  TinyRun run = tiny_run("bad-options");
  run.options.epochs = 0;
  EXPECT_THROW(train_and_evaluate(run.data_options, run.options), InputError);
  EXPECT_FALSE(fs::exists(run.out));
  fs::remove_all(run.dir);
}

TEST(EvaluateSavedModel, Bf16OffTheCpuAndCudaIsRefused) {
  EvaluateOptions e;
  e.model_dir = fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert";
  e.bf16 = true;
  e.device = torch::Device(torch::kMeta);
  EXPECT_THROW(evaluate_saved_model(e), InputError);
}

}  // namespace
}  // namespace finsent::pipeline
