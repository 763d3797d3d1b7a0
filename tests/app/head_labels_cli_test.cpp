// A head and its label names never silently change meaning: predict/eval/serve refuse a directory
// without a trained head, train keeps a checkpoint's head by label name (FinBERT's order) or says
// it re-initializes it, and train/eval/lab say when a model predicts one class for everything.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::run_cli;

fs::path model_fixture(const std::string& name) {
  return fs::path(FINSENT_FIXTURES_DIR) / "models" / name;
}

class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(fs::temp_directory_path() /
              ("finsent-head-cli-" + tag + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
}

// Overwrites the float32 tensor `name` of a model.safetensors in place with `values`.
void set_tensor(const fs::path& file, const std::string& name, const std::vector<float>& values) {
  std::string bytes = testing::read_text(file);
  uint64_t header_size = 0;
  std::memcpy(&header_size, bytes.data(), 8);
  const json header = json::parse(bytes.substr(8, header_size));
  const json& entry = header.at(name);
  ASSERT_EQ(entry.at("dtype"), "F32") << name;
  const auto begin = entry.at("data_offsets")[0].get<size_t>();
  const auto end = entry.at("data_offsets")[1].get<size_t>();
  ASSERT_EQ(end - begin, values.size() * sizeof(float)) << name;
  std::memcpy(bytes.data() + 8 + header_size + begin, values.data(), end - begin);
  write_text(file, bytes);
}

// tiny-bert copied to `dir` with config.json's id2label/label2id replaced by `labels`.
void copy_with_labels(const fs::path& dir, const std::vector<std::string>& labels) {
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(model_fixture("tiny-bert")))
    fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  json config = read_json(dir / "config.json");
  config["id2label"] = json::object();
  config["label2id"] = json::object();
  for (size_t i = 0; i < labels.size(); ++i) {
    config["id2label"][std::to_string(i)] = labels[i];
    config["label2id"][labels[i]] = i;
  }
  write_text(dir / "config.json", config.dump(2));
}

// A FinBERT-ordered checkpoint ({0: positive, 1: negative, 2: neutral}) whose trained head
// answers "neutral" for every sentence: zero weights, bias 10 on the neutral row.
fs::path neutral_finbert_order_model(const fs::path& dir) {
  copy_with_labels(dir, {"positive", "negative", "neutral"});
  set_tensor(dir / "model.safetensors", "classifier.weight", std::vector<float>(3 * 32, 0.0f));
  set_tensor(dir / "model.safetensors", "classifier.bias", {0.0f, 0.0f, 10.0f});
  return dir;
}

// 40 PhraseBank lines. With the notebook's split (seed 0, 85/15) rows 2, 16, 24, 26, 31 and 32
// are the test split: three neutral, one positive, two negative.
fs::path phrasebank_data(const fs::path& dir) {
  const char* subjects[] = {"the company", "net sales", "operating profit", "the bank",
                            "the market"};
  const char* verbs[] = {"rose", "fell", "was", "increased", "decreased", "is", "said", "will"};
  std::string text;
  for (int i = 0; i < 40; ++i) {
    std::string label = i % 3 == 0 ? "negative" : i % 3 == 1 ? "neutral" : "positive";
    if (i == 2 || i == 16 || i == 24) label = "neutral";
    if (i == 26) label = "positive";
    if (i == 31 || i == 32) label = "negative";
    text += std::string(subjects[i % 5]) + " " + verbs[i % 8] + " in the quarter " +
            std::to_string(i) + " .@" + label + "\n";
  }
  write_text(dir / "data.txt", text);
  return dir / "data.txt";
}

TEST(HeadCli, BaseEncoderIsRefusedByPredictEvalAndServe) {
  TempDir tmp("base");
  const fs::path base = model_fixture("tiny-bert-base");
  const std::string data = phrasebank_data(tmp.path()).string();
  const std::vector<std::vector<std::string>> commands = {
      {"predict", "--model", base.string(), "operating profit rose"},
      {"predict", "--model", base.string(), "--json", "operating profit rose"},
      {"eval", "--model", base.string(), "--data", data},
      {"serve", "--model", base.string(), "--port", "0"}};
  for (const auto& args : commands) {
    SCOPED_TRACE(args[0]);
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("finsent: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("has no trained classification head"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("classifier.weight (not in the checkpoint)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("finsent train"), std::string::npos) << r.err;
  }
}

TEST(HeadCli, CheckpointMissingItsHeadTensorsIsRefused) {
  TempDir tmp("headless");
  // tiny-bert's config (3 labels, BertForSequenceClassification) over a checkpoint whose head
  // tensors are renamed away: the head would be random.
  copy_with_labels(tmp.path() / "m", {"negative", "neutral", "positive"});
  const fs::path st = tmp.path() / "m" / "model.safetensors";
  std::string bytes = testing::read_text(st);
  for (const std::string from : {"\"classifier.weight\"", "\"classifier.bias\""}) {
    const size_t at = bytes.find(from);
    ASSERT_NE(at, std::string::npos);
    bytes.replace(at, from.size(), std::string(from).replace(1, 10, "classifieX"));
  }
  write_text(st, bytes);
  const auto r = run_cli({"predict", "--model", (tmp.path() / "m").string(), "profit rose"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("has no trained classification head: classifier.weight (not in the "
                       "checkpoint), classifier.bias (not in the checkpoint)"),
            std::string::npos)
      << r.err;
}

TEST(HeadCli, FinbertOrderCheckpointKeepsItsPredictionsThroughTrainAtTinyLr) {
  TempDir tmp("finbert");
  const fs::path model = neutral_finbert_order_model(tmp.path() / "finbert");
  const std::string data = phrasebank_data(tmp.path()).string();

  // eval and predict read the head's rows by the checkpoint's own names.
  auto before = run_cli({"eval", "--model", model.string(), "--data", data, "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_DOUBLE_EQ(json::parse(before.out)["accuracy"].get<double>(), 0.5);
  auto predicted = run_cli({"predict", "--model", model.string(), "--json", "profit rose"});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_EQ(json::parse(predicted.out)["label"], "neutral");

  const fs::path out = tmp.path() / "out";
  auto train = run_cli({"train", "--data", data, "--model", model.string(), "--out", out.string(),
                        "--epochs", "1", "--lr", "1e-9", "--json"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const json metrics = json::parse(train.out);
  EXPECT_DOUBLE_EQ(metrics["accuracy"].get<double>(), 0.5);  // was 1/6: "positive" everywhere
  EXPECT_EQ(metrics["labels"], json({"negative", "neutral", "positive"}));
  EXPECT_TRUE(metrics["head"]["kept"].get<bool>());
  EXPECT_FALSE(metrics["head"]["replaced"].get<bool>());
  EXPECT_NE(train.err.find("its rows taken by label name: checkpoint order positive, negative, "
                           "neutral -> saved order negative, neutral, positive"),
            std::string::npos)
      << train.err;
  EXPECT_EQ(read_json(out / "config.json")["id2label"]["1"], "neutral");

  auto after = run_cli({"eval", "--model", out.string(), "--data", data, "--json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_DOUBLE_EQ(json::parse(after.out)["accuracy"].get<double>(), 0.5);
  auto again = run_cli({"predict", "--model", out.string(), "--json", "profit rose"});
  EXPECT_EQ(json::parse(again.out)["label"], "neutral");
}

TEST(HeadCli, CheckpointWithOtherLabelNamesIsReinitializedWithAWarning) {
  TempDir tmp("names");
  copy_with_labels(tmp.path() / "m", {"bearish", "calm", "bullish"});
  const std::string data = phrasebank_data(tmp.path()).string();
  const fs::path out = tmp.path() / "out";
  auto r = run_cli({"train", "--data", data, "--model", (tmp.path() / "m").string(), "--out",
                    out.string(), "--epochs", "1", "--lr", "1e-9"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("warning: re-initialized classifier.weight, classifier.bias for the data's "
                       "labels negative, neutral, positive: the checkpoint's head was trained "
                       "for labels bearish, calm, bullish"),
            std::string::npos)
      << r.out;
  const json metrics = read_json(out / "metrics.json");
  EXPECT_TRUE(metrics["head"]["replaced"].get<bool>());
  EXPECT_EQ(metrics["head"]["initialized"], json({"classifier.weight", "classifier.bias"}));
}

TEST(HeadCli, TrainFromABaseEncoderSaysWhichTensorsItInitialized) {
  TempDir tmp("new-head");
  const std::string data = phrasebank_data(tmp.path()).string();
  auto r = run_cli({"train", "--data", data, "--model", model_fixture("tiny-bert-base").string(),
                    "--out", (tmp.path() / "out").string(), "--epochs", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("new bert head for labels negative, neutral, positive: initialized "
                       "classifier.weight, classifier.bias ("),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("has no trained classification head)"), std::string::npos) << r.out;
}

TEST(CollapseCli, EvalAndTrainSayWhenOneClassIsPredictedForEverything) {
  TempDir tmp("collapse");
  const fs::path model = neutral_finbert_order_model(tmp.path() / "finbert");
  const std::string data = phrasebank_data(tmp.path()).string();

  auto human = run_cli({"eval", "--model", model.string(), "--data", data});
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.err.find("finsent: warning: the model predicts 'neutral' for all 6 test "
                           "sentences: its accuracy 0.5000 is only the share of 'neutral' (the "
                           "majority class)"),
            std::string::npos)
      << human.err;
  auto j = run_cli({"eval", "--model", model.string(), "--data", data, "--json"});
  const json collapse = json::parse(j.out)["collapse"];
  ASSERT_TRUE(collapse.is_object()) << j.out;
  EXPECT_EQ(collapse["label"], "neutral");
  EXPECT_EQ(collapse["examples"], 6);
  EXPECT_TRUE(collapse["majority"].get<bool>());
  EXPECT_DOUBLE_EQ(collapse["true_share"].get<double>(), 0.5);
  // Not trained by finsent: the advice covers frozen and unfrozen encoders.
  EXPECT_NE(collapse["message"].get<std::string>().find("--standardize-features"),
            std::string::npos);
  EXPECT_NE(collapse["message"].get<std::string>().find("more --epochs"), std::string::npos);

  // Train with a frozen encoder: the advice is the frozen one, with this run's values.
  const fs::path out = tmp.path() / "out";
  auto t = run_cli({"train", "--data", data, "--model", model.string(), "--out", out.string(),
                    "--epochs", "1", "--lr", "1e-9", "--freeze-encoder", "--json"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const json tc = json::parse(t.out)["collapse"];
  ASSERT_TRUE(tc.is_object()) << t.out;
  EXPECT_EQ(tc["label"], "neutral");
  const std::string advice = tc["message"].get<std::string>();
  EXPECT_NE(advice.find("with a frozen encoder, --standardize-features"), std::string::npos)
      << advice;
  EXPECT_NE(advice.find("--head mean"), std::string::npos) << advice;
  EXPECT_NE(advice.find("this run used 1e-09"), std::string::npos) << advice;
  EXPECT_EQ(advice.find("--warmup"), std::string::npos) << advice;
  EXPECT_NE(t.err.find("finsent: warning: the model predicts 'neutral'"), std::string::npos);
  EXPECT_EQ(read_json(out / "metrics.json")["collapse"], tc);

  // eval of the trained model finds training_args.json: the same frozen advice.
  auto e = run_cli({"eval", "--model", out.string(), "--data", data, "--json"});
  EXPECT_EQ(json::parse(e.out)["collapse"]["message"], tc["message"]);

  // A model that answers more than one class: no warning, "collapse": null.
  auto fine =
      run_cli({"eval", "--model", model_fixture("tiny-bert").string(), "--data", data, "--json"});
  ASSERT_EQ(fine.exit_code, 0) << fine.err;
  const json fj = json::parse(fine.out);
  ASSERT_TRUE(fj.contains("collapse"));
  size_t predicted_classes = 0;
  for (size_t p = 0; p < 3; ++p) {
    int64_t column = 0;
    for (size_t t2 = 0; t2 < 3; ++t2) column += fj["confusion_matrix"][t2][p].get<int64_t>();
    predicted_classes += column > 0;
  }
  EXPECT_EQ(fj["collapse"].is_null(), predicted_classes > 1) << fine.out;
  if (predicted_classes > 1) {
    EXPECT_EQ(fine.err.find("warning"), std::string::npos) << fine.err;
  }
}

}  // namespace
}  // namespace finsent
