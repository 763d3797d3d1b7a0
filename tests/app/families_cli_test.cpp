// Every training path for every model family, through the CLI: the BERT and DistilBERT fixtures
// (tools/make_model_fixtures.py) and the RoBERTa, XLM-R, ELECTRA and MPNet ones
// (tools/make_family_fixtures.py, with tiny WordPiece tokenizers) train unfrozen and
// frozen, checkpoint and resume bit-identically, write TensorBoard events, save a directory of
// their Transformers class, and evaluate (fp32 and bf16) and predict from it; `lab` runs with each.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_cli;

struct Family {
  std::string fixture, architecture;
};

void PrintTo(const Family& family, std::ostream* os) {
  *os << family.fixture;
}

class FamilyCli : public ::testing::TestWithParam<Family> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("finsent-family-cli-" + GetParam().fixture + "-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 40 sentences, letters only (the fixtures' tokenizers know a-z, '.' and ',').
    const char* subjects[] = {"the company", "net sales", "operating profit", "the bank",
                              "the market"};
    const char* verbs[] = {"rose", "fell", "was flat", "increased", "decreased"};
    std::ofstream out(data());
    for (int i = 0; i < 40; ++i)
      out << subjects[i % 5] << " " << verbs[(i / 5) % 5] << " this quarter ."
          << "@"
          << (i % 3 == 0   ? "negative"
              : i % 3 == 1 ? "neutral"
                           : "positive")
          << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string data() const { return (dir_ / "data.txt").string(); }
  std::string model() const {
    return (fs::path(FINSENT_FIXTURES_DIR) / "models" / GetParam().fixture).string();
  }
  std::vector<std::string> train(const fs::path& out, std::vector<std::string> more = {}) const {
    std::vector<std::string> args = {
        "train",      "--data",       data(), "--model",      model(), "--out",
        out.string(), "--epochs",     "2",    "--batch-size", "4",     "--lr",
        "1e-3",       "--save-steps", "3",    "--max-length", "32"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_P(FamilyCli, TrainsResumesSavesEvaluatesAndPredicts) {
  const fs::path full = dir_ / "full";
  const auto trained = run_cli(train(full, {"--json"}));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const json metrics = json::parse(trained.out);
  EXPECT_EQ(metrics["labels"], json({"negative", "neutral", "positive"}));
  EXPECT_EQ(json::parse(read(full / "config.json"))["architectures"][0], GetParam().architecture);
  // The tokenizer is saved as what it is: WordPiece with BERT's templates as vocab.txt (ELECTRA's),
  // anything else as tokenizer.json.
  EXPECT_TRUE(fs::exists(full / "tokenizer.json") || fs::exists(full / "vocab.txt"));
  bool events = false;
  for (const auto& e : fs::recursive_directory_iterator(full / "runs"))
    events = events || e.path().filename().string().find("tfevents") != std::string::npos;
  EXPECT_TRUE(events) << "no TensorBoard event file under " << (full / "runs");

  // Stopped after step 4 (checkpoint-3 saved), resumed: the same weights as the whole run.
  const fs::path cut = dir_ / "cut";
  auto args = train(cut, {"--stop-after-steps", "4"});
  ASSERT_EQ(run_cli(args).exit_code, 75);
  ASSERT_TRUE(fs::exists(cut / "checkpoint-3" / "trainer_state.json"));
  args = train(cut, {"--resume", cut.string()});
  const auto resumed = run_cli(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read(cut / "model.safetensors"), read(full / "model.safetensors"));

  // The saved directory evaluates to what train reported on the same split, and predicts.
  const auto eval = run_cli({"eval", "--model", full.string(), "--data", data(), "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_DOUBLE_EQ(json::parse(eval.out)["accuracy"].get<double>(),
                   metrics["accuracy"].get<double>());
  const auto bf16 =
      run_cli({"eval", "--model", full.string(), "--data", data(), "--json", "--bf16"});
  ASSERT_EQ(bf16.exit_code, 0) << bf16.err;
  EXPECT_GE(json::parse(bf16.out)["accuracy"].get<double>(), 0.0);
  const auto predicted =
      run_cli({"predict", "--model", full.string(), "--json", "net sales rose this quarter ."});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  const std::string label = json::parse(predicted.out)["label"];
  EXPECT_TRUE(label == "negative" || label == "neutral" || label == "positive") << label;
}

TEST_P(FamilyCli, TrainsFrozenWithCachedAndStandardizedFeatures) {
  for (const bool standardize : {false, true}) {
    SCOPED_TRACE(standardize);
    const fs::path out = dir_ / (standardize ? "standardized" : "frozen");
    std::vector<std::string> more = {"--freeze-encoder", "--json"};
    if (standardize) more.push_back("--standardize-features");
    const auto r = run_cli(train(out, more));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto eval = run_cli({"eval", "--model", out.string(), "--data", data(), "--json"});
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    EXPECT_DOUBLE_EQ(json::parse(eval.out)["accuracy"].get<double>(),
                     json::parse(r.out)["accuracy"].get<double>());
  }
}

// `finsent lab --model DIR` runs every stage with each family.
TEST_P(FamilyCli, LabRunsEveryStage) {
  const auto r = run_cli({"lab", "--data", data(), "--model", model(), "--out",
                          (dir_ / "lab").string(), "--quick", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["stages"].size(), 9u) << r.out;
  for (const auto& stage : report["stages"]) {
    EXPECT_EQ(stage["state"], "ran") << stage.dump();
    EXPECT_EQ(stage["error"], "") << stage.dump();
  }
  for (const char* model : {"frozen", "unfrozen"})
    EXPECT_TRUE(report["models"][model].contains("accuracy")) << model;
  EXPECT_TRUE(fs::exists(dir_ / "lab" / "report.html"));
}

INSTANTIATE_TEST_SUITE_P(
    Families, FamilyCli,
    ::testing::Values(Family{"tiny-bert", "BertForSequenceClassification"},
                      Family{"tiny-distilbert", "DistilBertForSequenceClassification"},
                      Family{"tiny-roberta", "RobertaForSequenceClassification"},
                      Family{"tiny-xlm-roberta", "XLMRobertaForSequenceClassification"},
                      Family{"tiny-electra", "ElectraForSequenceClassification"},
                      Family{"tiny-mpnet", "MPNetForSequenceClassification"}),
    [](const ::testing::TestParamInfo<Family>& info) {
      std::string name;
      for (char ch : info.param.fixture) name += ch == '-' ? '_' : ch;
      return name;
    });

}  // namespace
}  // namespace finsent
