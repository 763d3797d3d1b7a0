// start_fine_tuning: a checkpoint's head kept by label name (FinBERT's order), re-initialized with
// a warning when its labels or type differ, new for a base encoder (same draws as before).
#include <gtest/gtest.h>

#include <fstream>

#include "finsent/io/safetensors.hpp"
#include "finsent/models/fine_tune_start.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::fixture;
using testing::TempDir;

const std::vector<std::string> kSorted = {"negative", "neutral", "positive"};

// `source` copied to `dir` with config.json's labels replaced by `labels`.
void relabel(const std::string& source, const fs::path& dir,
             const std::vector<std::string>& labels) {
  for (const auto& e : fs::directory_iterator(fixture(source)))
    fs::copy_file(e.path(), dir / e.path().filename(), fs::copy_options::overwrite_existing);
  json config = testing::read_json(dir / "config.json");
  config["id2label"] = json::object();
  config["label2id"] = json::object();
  for (size_t i = 0; i < labels.size(); ++i) {
    config["id2label"][std::to_string(i)] = labels[i];
    config["label2id"][labels[i]] = i;
  }
  std::ofstream(dir / "config.json") << config.dump(2);
}

torch::Tensor logits_of(SequenceClassifierImpl& model) {
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Tensor ids = torch::tensor({{2, 5, 6, 10, 3}, {2, 7, 9, 11, 3}}, torch::kLong);
  return model.forward(ids, torch::ones_like(ids));
}

TEST(FineTuneStart, FinbertOrderHeadIsKeptByLabelName) {
  for (const std::string source : {"tiny-bert", "tiny-distilbert"}) {
    SCOPED_TRACE(source);
    TempDir dir("finbert-order");
    relabel(source, dir.path(), {"positive", "negative", "neutral"});
    // The checkpoint as predict would use it: column j is the logit of its id2label[j].
    SequenceClassifier checkpoint = load_sequence_classifier(dir.path());
    const torch::Tensor before = logits_of(*checkpoint);

    torch::manual_seed(7);
    FineTuneStart start = start_fine_tuning(dir.path(), kSorted, "auto", 0.1);
    EXPECT_TRUE(start.head_kept);
    EXPECT_FALSE(start.head_replaced);
    EXPECT_TRUE(start.initialized.empty());
    EXPECT_EQ(start.model->labels(), kSorted);
    EXPECT_EQ(start.message, "the checkpoint's trained " +
                                 std::string(source == "tiny-bert" ? "bert" : "distilbert") +
                                 " head is kept, its rows taken by label name: checkpoint order "
                                 "positive, negative, neutral -> saved order negative, neutral, "
                                 "positive");
    // Same logits per label name (to float rounding): negative <- 1, neutral <- 2, positive <- 0.
    const torch::Tensor after = logits_of(*start.model);
    EXPECT_LE(testing::max_abs_diff(after.select(1, 0), before.select(1, 1)), 1e-6);
    EXPECT_LE(testing::max_abs_diff(after.select(1, 1), before.select(1, 2)), 1e-6);
    EXPECT_LE(testing::max_abs_diff(after.select(1, 2), before.select(1, 0)), 1e-6);
    // Not a no-op: the columns did move.
    EXPECT_GT(testing::max_abs_diff(after, before), 1e-4);
  }
}

TEST(FineTuneStart, SameOrderIsKeptUnchanged) {
  SequenceClassifier checkpoint = load_sequence_classifier(fixture("tiny-bert"));
  FineTuneStart start = start_fine_tuning(fixture("tiny-bert"), kSorted, "auto", 0.1);
  EXPECT_TRUE(start.head_kept);
  EXPECT_EQ(start.message,
            "the checkpoint's trained bert head is kept (labels negative, neutral, positive)");
  EXPECT_LE(testing::max_abs_diff(logits_of(*start.model), logits_of(*checkpoint)), 1e-6);
}

TEST(FineTuneStart, OtherLabelNamesReinitializeTheHeadWithAWarning) {
  TempDir dir("other-names");
  relabel("tiny-bert", dir.path(), {"bearish", "calm", "bullish"});
  FineTuneStart start = start_fine_tuning(dir.path(), kSorted, "auto", 0.1);
  EXPECT_FALSE(start.head_kept);
  EXPECT_TRUE(start.head_replaced);
  EXPECT_EQ(start.initialized, (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_EQ(start.message,
            "re-initialized classifier.weight, classifier.bias for the data's labels negative, "
            "neutral, positive: the checkpoint's head was trained for labels bearish, calm, "
            "bullish, not the data's negative, neutral, positive (rows are matched by label "
            "name)");
  SequenceClassifier checkpoint = load_sequence_classifier(dir.path());
  auto fresh = start.model->named_parameters();
  auto old = checkpoint->named_parameters();
  EXPECT_FALSE(torch::equal(fresh["classifier.weight"], old["classifier.weight"]));
  EXPECT_TRUE(torch::equal(fresh["classifier.bias"], torch::zeros({3})));  // Transformers' init
  // The pooler is the encoder's and stays.
  EXPECT_TRUE(torch::equal(fresh["bert.pooler.dense.weight"], old["bert.pooler.dense.weight"]));
}

TEST(FineTuneStart, AnotherLabelCountReinitializesAndSaysSo) {
  FineTuneStart start = start_fine_tuning(fixture("tiny-distilbert"), {"down", "up"}, "auto", 0.1);
  EXPECT_TRUE(start.head_replaced);
  EXPECT_EQ(start.initialized,
            (std::vector<std::string>{"pre_classifier.weight", "pre_classifier.bias",
                                      "classifier.weight", "classifier.bias"}));
  EXPECT_NE(start.message.find("the checkpoint's head was trained for 3 labels (negative, "
                               "neutral, positive), the data has 2 (down, up)"),
            std::string::npos)
      << start.message;
  EXPECT_EQ(start.model->labels(), (std::vector<std::string>{"down", "up"}));
}

TEST(FineTuneStart, AnotherHeadTypeStartsANewHead) {
  // The bert head's classifier read from raw [CLS] states would mean nothing: re-initialized.
  FineTuneStart linear = start_fine_tuning(fixture("tiny-bert"), kSorted, "linear", 0.1);
  EXPECT_TRUE(linear.head_replaced);
  EXPECT_EQ(linear.model->head_name(), "linear");
  EXPECT_NE(linear.message.find("the checkpoint's head is a bert head and --head linear was asked "
                                "for"),
            std::string::npos)
      << linear.message;
  // The mean head has tensors of its own: new, and the checkpoint's classifier is named unused.
  FineTuneStart mean = start_fine_tuning(fixture("tiny-bert"), kSorted, "mean", 0.1);
  EXPECT_TRUE(mean.head_replaced);
  EXPECT_EQ(mean.initialized,
            (std::vector<std::string>{"mean_classifier.weight", "mean_classifier.bias"}));
  EXPECT_EQ(mean.message,
            "new mean head for labels negative, neutral, positive: initialized "
            "mean_classifier.weight, mean_classifier.bias; the checkpoint's classifier.bias, "
            "classifier.weight (another head) are not used");
}

TEST(FineTuneStart, BaseEncoderGetsANewHeadDrawnAsBefore) {
  torch::manual_seed(42);
  FineTuneStart start = start_fine_tuning(fixture("tiny-bert-base"), kSorted, "auto", 0.1);
  EXPECT_FALSE(start.head_kept);
  EXPECT_FALSE(start.head_replaced);
  EXPECT_EQ(start.initialized, (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_EQ(start.message,
            "new bert head for labels negative, neutral, positive: initialized "
            "classifier.weight, classifier.bias (" +
                fixture("tiny-bert-base").string() + " has no trained classification head)");
  // The same random draws as loading with a new head (training runs are reproducible as before).
  torch::manual_seed(42);
  ClassifierOptions options;
  options.id2label = kSorted;
  options.require_trained_head = false;
  SequenceClassifier reference = load_sequence_classifier(fixture("tiny-bert-base"), options);
  EXPECT_TRUE(torch::equal(start.model->named_parameters()["classifier.weight"],
                           reference->named_parameters()["classifier.weight"]));
}

}  // namespace
}  // namespace finsent::models
