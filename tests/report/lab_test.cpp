// finsent lab end to end on a tiny BERT fixture and a tiny PhraseBank-format file: stages, cache,
// failure isolation, the report (also in headless Chromium) and the CLI.
#include "finsent/report/lab.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "chromium.hpp"
#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"
#include "finsent/models/weights.hpp"

namespace finsent::report {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kTinyModel = fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert";

// 90 short sentences, 30 per class, in the PhraseBank's format (iso-8859-1 bytes, CRLF).
fs::path write_tiny_phrasebank(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path file = dir / "tiny_phrasebank.txt";
  std::ofstream out(file, std::ios::binary);
  const char* companies[] = {"Nokia", "Fiskars", "Elisa", "Kone", "Stora Enso", "Wärtsilä"};
  for (int i = 0; i < 30; ++i) {
    const std::string c = companies[i % 6];
    std::string latin1;  // "Wärtsilä" as iso-8859-1, as the real file stores it
    for (size_t k = 0; k < c.size(); ++k) {
      if (static_cast<unsigned char>(c[k]) == 0xC3)
        latin1 += static_cast<char>(0x40 + static_cast<unsigned char>(c[++k]));
      else
        latin1 += c[k];
    }
    out << latin1 << " net profit rose " << (i + 3) << " % and sales increased@positive\r\n";
    out << latin1 << " operating loss widened to EUR " << (i + 1)
        << " mn as sales fell@negative\r\n";
    out << latin1 << " will publish its report on day " << (i + 1) << " of the month@neutral\r\n";
  }
  return file;
}

LabOptions tiny_options(const fs::path& out) {
  LabOptions o;
  o.data.path = write_tiny_phrasebank(out.parent_path() / (out.filename().string() + "-data"));
  o.model_dir = kTinyModel;
  o.model_name = "tiny-bert (test fixture)";
  o.out_dir = out;
  o.quick = true;
  o.frozen = notebook_frozen_recipe(true);
  o.unfrozen = improved_unfrozen_recipe(true);
  o.frozen.batch_size = o.unfrozen.batch_size = 8;
  return o;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::current_path() / "lab-test" / name;
  fs::remove_all(dir);
  fs::remove_all(dir.string() + "-data");
  return dir;
}

const StageOutcome& stage(const LabResult& r, const std::string& name) {
  for (const auto& s : r.stages) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("no stage " + name);
}

TEST(Lab, RunsEveryStageWritesTheReportAndReusesTheCache) {
  const auto dir = fresh_dir("full");
  const LabOptions o = tiny_options(dir);
  const LabResult first = run_lab(o);
  ASSERT_EQ(first.stages.size(), 9u);
  for (const auto& s : first.stages)
    EXPECT_EQ(s.state, StageState::Ran) << s.name << ": " << s.error;
  EXPECT_TRUE(first.ok());

  const json metrics = json::parse(std::ifstream(first.metrics_json));
  for (const char* model : {"naive_bayes", "frozen", "unfrozen"}) {
    ASSERT_TRUE(metrics.at("models").contains(model)) << model;
    const double acc = metrics["models"][model]["accuracy"].get<double>();
    EXPECT_GE(acc, 0.0);
    EXPECT_LE(acc, 1.0);
  }
  // The templates make the task easy: the baseline must see it.
  EXPECT_GE(metrics["models"]["naive_bayes"]["accuracy"].get<double>(), 0.8);
  EXPECT_EQ(metrics["exercise_8"]["models"]["unfrozen"]["predictions"].size(), 3u);
  EXPECT_TRUE(fs::exists(dir / "models" / "unfrozen" / "config.json"));
  EXPECT_TRUE(fs::exists(dir / "stages" / "lengths.json"));

  const std::string md = testing::read_text(first.report_md);
  for (const char* needle :
       {"## 1-2. Data and class balance", "![Sentences per class", "Naive Bayes", "MAX\\_LEN = **",
        "Shares fell after the firm cut its full-year guidance.", "| TF-IDF + Naive Bayes |",
        "figures/confusion-unfrozen.svg"}) {
    EXPECT_NE(md.find(needle), std::string::npos) << needle;
  }
  // The tokenizer demo shows three training sentences with their pieces.
  EXPECT_EQ(
      json::parse(std::ifstream(dir / "stages" / "tokenizer.json"))["result"]["examples"].size(),
      3u);
  EXPECT_NE(md.find("tokens:  [CLS]"), std::string::npos);
  // Counts in the report are the data's: 90 sentences, 76 train (floor(90 * 0.85)), 14 test.
  EXPECT_NE(md.find("90 sentences in"), std::string::npos);
  EXPECT_NE(md.find("76 training and 14 test"), std::string::npos);

  const LabResult second = run_lab(o);
  for (const auto& s : second.stages) EXPECT_EQ(s.state, StageState::Cached) << s.name;
  EXPECT_EQ(testing::read_text(dir / "stages" / "baseline.json"),
            testing::read_text(dir / "stages" / "baseline.json"));

  // A changed recipe reruns training and everything after it, nothing before.
  LabOptions changed = o;
  changed.unfrozen.learning_rate = 1e-4;
  const LabResult third = run_lab(changed);
  EXPECT_EQ(stage(third, "baseline").state, StageState::Cached);
  EXPECT_EQ(stage(third, "train-frozen").state, StageState::Cached);
  EXPECT_EQ(stage(third, "train-unfrozen").state, StageState::Ran);
  EXPECT_EQ(stage(third, "eval-unfrozen").state, StageState::Ran);
  EXPECT_EQ(stage(third, "predict").state, StageState::Ran);

  LabOptions forced = o;
  forced.force = true;
  forced.unfrozen = changed.unfrozen;
  const LabResult fourth = run_lab(forced);
  for (const auto& s : fourth.stages) EXPECT_EQ(s.state, StageState::Ran) << s.name;
}

TEST(Lab, AFailedStageIsReportedAndItsDependentsSkipped) {
  const auto dir = fresh_dir("broken-model");
  LabOptions o = tiny_options(dir);
  o.model_dir = dir.parent_path() / "no-such-model";
  const LabResult r = run_lab(o);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(stage(r, "stats").state, StageState::Ran);
  EXPECT_EQ(stage(r, "baseline").state, StageState::Ran);
  EXPECT_EQ(stage(r, "tokenizer").state, StageState::Failed);
  EXPECT_NE(stage(r, "tokenizer").error.find("no-such-model"), std::string::npos)
      << stage(r, "tokenizer").error;
  EXPECT_EQ(stage(r, "train-frozen").state, StageState::Skipped);
  EXPECT_EQ(stage(r, "predict").state, StageState::Skipped);
  const std::string md = testing::read_text(r.report_md);
  EXPECT_NE(md.find("| 3 | Tokenizer demo | FAILED |"), std::string::npos) << md;
  EXPECT_NE(md.find("> **Failed:** Tokenizer demo: "), std::string::npos);
  EXPECT_NE(md.find("| TF-IDF + Naive Bayes |"), std::string::npos);
  const json metrics = json::parse(std::ifstream(r.metrics_json));
  EXPECT_EQ(metrics["stages"][2]["state"], "FAILED");
  // A failed stage leaves no cache behind.
  EXPECT_FALSE(fs::exists(dir / "stages" / "tokenizer.json"));
}

// The lab splits as train and eval do: --seed, --test-ratio and --stratify reach its stats, its
// stage cache and its report.
TEST(Lab, SplitsWithTheDataOptionsOfEveryCommand) {
  const auto dir = fresh_dir("split-options");
  LabOptions o = tiny_options(dir);
  o.model_dir = dir.parent_path() / "no-such-model";  // the data stages alone
  o.split = {3, 0.25, true};
  const LabResult r = run_lab(o);
  EXPECT_EQ(stage(r, "stats").state, StageState::Ran);
  const json stats = json::parse(std::ifstream(dir / "stages" / "stats.json"));
  const auto split = data::split_train_test(data::load_examples(o.data), o.split);
  EXPECT_EQ(stats["result"]["train_rows"], split.train.size());
  EXPECT_EQ(stats["result"]["test_rows"], split.test.size());
  EXPECT_EQ(stats["result"]["test_rows"], 24);  // 90 rows, 30 per class: 30 - int(22.5) per class
  EXPECT_EQ(stats["inputs"]["data"]["stratified"], true);
  EXPECT_EQ(stats["inputs"]["data"]["seed"], 3);
  const std::string md = testing::read_text(r.report_md);
  EXPECT_NE(md.find("split with `--seed 3` and `--test-ratio 0.25` (stratified) into 66 training "
                    "and 24 test sentences."),
            std::string::npos)
      << md;
  // Another split is another input: the stats stage is not taken from the cache.
  o.split.seed = 4;
  EXPECT_EQ(stage(run_lab(o), "stats").state, StageState::Ran);
}

TEST(LabCli, TakesEveryDataFlag) {
  const auto r =
      std::system((std::string("'") + FINSENT_BINARY + "' lab --help > lab-help.txt 2>&1").c_str());
  ASSERT_EQ(WEXITSTATUS(r), 0);
  const std::string help = testing::read_text("lab-help.txt");
  for (const char* flag : {"--data", "--format", "--text-column", "--label-column",
                           "--max-data-bytes", "--seed", "--test-ratio", "--stratify", "--device"})
    EXPECT_NE(help.find(flag), std::string::npos) << flag << "\n" << help;
  EXPECT_NE(help.find("Data file (default: $FINSENT_DATA"), std::string::npos) << help;
}

// tiny-bert as a FinBERT-ordered checkpoint ({0: positive, 1: negative, 2: neutral}) whose trained
// head answers "neutral" for everything (zero weights, bias 10 on the neutral row).
fs::path neutral_finbert_order_model(const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(kTinyModel))
    fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  json config = json::parse(std::ifstream(dir / "config.json"));
  config["id2label"] = {{"0", "positive"}, {"1", "negative"}, {"2", "neutral"}};
  config["label2id"] = {{"positive", 0}, {"negative", 1}, {"neutral", 2}};
  std::ofstream(dir / "config.json") << config.dump(2);
  auto source = models::open_checkpoint(kTinyModel);
  std::vector<torch::Tensor> keep;
  std::vector<io::TensorToWrite> tensors;
  for (const auto& name : source->names()) {
    torch::Tensor t = source->get(name).to(torch::kFloat).contiguous();
    if (name == "classifier.weight") t.zero_();
    if (name == "classifier.bias") t = torch::tensor({0.0f, 0.0f, 10.0f});
    keep.push_back(t);
    tensors.push_back(
        {name, io::DType::F32, t.sizes().vec(),
         std::span<const std::byte>(static_cast<const std::byte*>(t.data_ptr()), t.nbytes())});
  }
  io::save_safetensors(dir / "model.safetensors", tensors);
  return dir;
}

TEST(Lab, KeepsACheckpointHeadByLabelNameAndSaysWhenAModelCollapses) {
  const auto dir = fresh_dir("collapse");
  LabOptions o = tiny_options(dir);
  o.model_dir = neutral_finbert_order_model(dir.string() + "-model");
  std::ostringstream progress;
  o.progress = &progress;
  const LabResult r = run_lab(o);
  ASSERT_TRUE(r.ok()) << progress.str();

  // The unfrozen run keeps the head by label name: still "neutral" everywhere (1 epoch at 5e-5
  // cannot move a bias of 10), so its accuracy is the test split's neutral share, not another's.
  const json stats = json::parse(std::ifstream(dir / "stages" / "stats.json"))["result"];
  ASSERT_EQ(stats["labels"], json({"negative", "neutral", "positive"}));
  const double neutral_share =
      stats["counts"]["test"][1].get<double>() / stats["test_rows"].get<double>();
  const json metrics = json::parse(std::ifstream(r.metrics_json));
  const json& unfrozen = metrics["models"]["unfrozen"];
  EXPECT_DOUBLE_EQ(unfrozen["accuracy"].get<double>(), neutral_share);
  ASSERT_TRUE(unfrozen["collapse"].is_object()) << unfrozen.dump();
  EXPECT_EQ(unfrozen["collapse"]["label"], "neutral");
  EXPECT_NE(unfrozen["collapse"]["message"].get<std::string>().find(
                "What helps: with the whole model trained, more --epochs (this run: 1)"),
            std::string::npos);
  EXPECT_TRUE(metrics["models"]["frozen"].contains("collapse"));
  EXPECT_NE(progress.str().find("its rows taken by label name: checkpoint order positive, "
                                "negative, neutral -> saved order negative, neutral, positive"),
            std::string::npos)
      << progress.str();
  EXPECT_NE(progress.str().find("warning: unfrozen model: the model predicts 'neutral' for all"),
            std::string::npos);
  const std::string md = testing::read_text(r.report_md);
  EXPECT_NE(md.find("The unfrozen model collapsed: the model predicts 'neutral' for all"),
            std::string::npos);
  fs::remove_all(dir.string() + "-model");
}

TEST(Lab, ReportRendersInChromium) {
  const std::string chromium = testing::find_chromium();
  ASSERT_FALSE(chromium.empty()) << testing::kNoChromium;
  const auto dir = fresh_dir("browser");
  const LabResult r = run_lab(tiny_options(dir));
  ASSERT_TRUE(r.ok());
  const auto run = testing::run_chromium(chromium, r.report_html, dir / "chromium");
  ASSERT_EQ(run.exit_code, 0) << run.log;
  EXPECT_TRUE(run.console.empty()) << run.console.front();
  size_t svgs = 0;
  for (size_t at = run.dom.find("<svg "); at != std::string::npos;
       at = run.dom.find("<svg ", at + 1))
    ++svgs;
  EXPECT_EQ(svgs,
            7u);  // classes, baseline matrix, lengths, loss, learning rate, two model matrices
  EXPECT_EQ(run.dom.find("parsererror"), std::string::npos);
  const auto shot =
      testing::run_chromium(chromium, r.report_html, dir / "shot", dir / "report.png", 1100, 6000);
  EXPECT_EQ(shot.exit_code, 0) << shot.log;
  EXPECT_TRUE(fs::exists(dir / "report.png"));
}

TEST(Lab, DataFallbackExplainsHowToGetThePhraseBank) {
  const auto dir = fresh_dir("no-data");
  fs::create_directories(dir);
  const auto cwd = fs::current_path();
  fs::current_path(dir);
  ::unsetenv("FINSENT_DATA");
  try {
    find_lab_data("");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("FINSENT_DATA"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("financial_phrasebank"), std::string::npos);
  }
  fs::create_directories("data/FinancialPhraseBank-v1.0");
  std::ofstream("data/FinancialPhraseBank-v1.0/Sentences_50Agree.txt") << "a@neutral\r\n";
  EXPECT_EQ(find_lab_data(""), fs::path("data/FinancialPhraseBank-v1.0/Sentences_50Agree.txt"));
  ::setenv("FINSENT_DATA", (dir / "data").c_str(), 1);
  EXPECT_EQ(find_lab_data(""), dir / "data" / "FinancialPhraseBank-v1.0" / "Sentences_50Agree.txt");
  ::unsetenv("FINSENT_DATA");
  fs::current_path(cwd);
  EXPECT_THROW(find_lab_data((dir / "missing.txt").string()), InputError);
  EXPECT_THROW(find_lab_model("models/all-MiniLM-L6-v2-not-here/x"), Error);
}

TEST(LabCli, RunsQuickWithJsonAndFailsCleanlyWithoutData) {
  const auto dir = fresh_dir("cli");
  const auto data = write_tiny_phrasebank(dir.string() + "-data");
  const std::string base = std::string("'") + FINSENT_BINARY + "' --threads 1 lab";
  const std::string cmd = base + " --data '" + data.string() + "' --model '" + kTinyModel.string() +
                          "' --out '" + dir.string() + "' --quick --json > '" + dir.string() +
                          ".json' 2> '" + dir.string() + ".err'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << testing::read_text(dir.string() + ".err");
  const json out = json::parse(testing::read_text(dir.string() + ".json"));
  EXPECT_EQ(out["stages"].size(), 9u);
  EXPECT_TRUE(out["models"].contains("unfrozen"));
  const std::string err = testing::read_text(dir.string() + ".err");
  EXPECT_NE(err.find("[9/9] Exercise 8: new sentences: done in"), std::string::npos) << err;
  EXPECT_NE(err.find("total "), std::string::npos);

  const std::string no_data =
      "cd '" + dir.string() + "' && env -u FINSENT_DATA " + base + " --out x 2> err.txt";
  const int status = std::system(no_data.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string message = testing::read_text(dir / "err.txt");
  EXPECT_EQ(message.rfind("finsent: error: no data: pass --data FILE", 0), 0u) << message;
}

}  // namespace
}  // namespace finsent::report
