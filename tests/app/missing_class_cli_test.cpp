// Classes missing from one split, end to end: baseline, train's test report and eval score them
// with scikit-learn's label-set rules (fixtures from tools/make_metrics_fixtures.py).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

using nlohmann::json;
using testing::run_cli;

std::string data_file(const std::string& name) {
  return testing::fixture("data/" + name).string();
}

json sklearn_baseline(const std::string& key) {
  return json::parse(testing::read_text(
      testing::fixture("eval/sklearn_label_sets.json")))["baselines"][key]["metrics"];
}

TEST(MissingClassCli, BaselineScoresATestOnlyClassAsScikitLearn) {
  const std::pair<const char*, const char*> cases[] = {
      {"only_in_test_two_train_classes.txt", "neutral_only_in_test"},
      {"only_in_test_one_train_class.txt", "one_training_class"},
      {"train_class_absent_from_test.txt", "training_class_absent_from_test"}};
  for (const auto& [file, key] : cases) {
    const auto r = run_cli({"baseline", "--data", data_file(file), "--json"});
    ASSERT_EQ(r.exit_code, 0) << file << ": " << r.err;
    const auto j = json::parse(r.out);
    const auto e = sklearn_baseline(key);
    EXPECT_EQ(j["labels"], e["labels"]) << file;
    EXPECT_NEAR(j["accuracy"].get<double>(), e["accuracy"].get<double>(), 1e-15) << file;
    EXPECT_NEAR(j["macro_f1"].get<double>(), e["macro"][2].get<double>(), 1e-15) << file;
    EXPECT_EQ(j["confusion_matrix"], e["confusion_matrix"]) << file;
  }
  // The numbers: 2/3 with two training classes, 1/3 with one.
  auto r = run_cli({"baseline", "--data", data_file("only_in_test_two_train_classes.txt")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("    accuracy                         0.6667         3"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no predicted samples: neutral"), std::string::npos) << r.out;
  r = run_cli({"baseline", "--data", data_file("only_in_test_one_train_class.txt"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(json::parse(r.out)["accuracy"].get<double>(), 1.0 / 3, 1e-15);
}

TEST(MissingClassCli, TrainAndEvalReportATestOnlyClassTheModelCannotPredict) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("finsent_missing_class_" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  const std::string data = data_file("only_in_test_two_train_classes.txt");
  auto r = run_cli({"--threads", "1", "train", "--data", data, "--model",
                    testing::fixture("models/tiny-bert").string(), "--out", out.string(),
                    "--epochs", "1", "--batch-size", "8", "--max-length", "16", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto config = json::parse(testing::read_text(out / "config.json"));
  EXPECT_EQ(config["id2label"], (json{{"0", "negative"}, {"1", "positive"}}));
  const auto metrics = json::parse(testing::read_text(out / "metrics.json"));
  ASSERT_TRUE(metrics["per_class"].contains("neutral")) << metrics.dump();
  EXPECT_EQ(metrics["per_class"]["neutral"]["support"], 1);
  EXPECT_EQ(metrics["per_class"]["neutral"]["recall"], 0.0);
  r = run_cli({"eval", "--data", data, "--model", out.string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto eval = json::parse(r.out);
  EXPECT_EQ(eval["labels"], metrics["labels"]);
  EXPECT_EQ(eval["confusion_matrix"], metrics["confusion_matrix"]);
  EXPECT_EQ(eval["per_class"]["neutral"]["support"], 1);
  std::filesystem::remove_all(out);
}

}  // namespace
}  // namespace finsent
