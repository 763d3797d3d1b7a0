// Costs stay near-linear in labels: `data stats` with 10,000 labels, `train` with 2,000 (whose
// dense confusion matrix alone would be 4 million cells), under generous time bounds.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/run_limited.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_limited;

class ManyLabels : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_many_labels_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A text,label CSV of `rows` rows over `labels` labels (row i has label i % labels).
  fs::path data(int rows, int labels) const {
    const fs::path file = dir_ / ("data_" + std::to_string(labels) + ".csv");
    std::ofstream out(file);
    out << "text,label\n";
    for (int i = 0; i < rows; ++i)
      out << "the company rose in the quarter " << i << " .,label" << (i % labels) << "\n";
    return file;
  }

  fs::path dir_;
};

TEST_F(ManyLabels, DataStatsIsLinearInLabels) {
  // Was 24 s for 2,000 x 2,000 and over a minute for 10,000 (counts recomputed per label).
  const auto r = run_limited({"data", "stats", "--data", data(10000, 10000).string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.seconds, 20.0);
  EXPECT_NE(r.out.find("10000 rows"), std::string::npos);
  const auto j = run_limited({"data", "stats", "--json", "--data", data(10000, 10000).string()});
  EXPECT_EQ(j.exit_code, 0) << j.err;
  EXPECT_LT(j.seconds, 20.0);
  EXPECT_EQ(nlohmann::json::parse(j.out).at("labels").size(), 10000u);
}

TEST_F(ManyLabels, TrainOutputAndMetricsStayProportional) {
  // Was 800 MB printed and a 901 MB metrics.json with 10,000 labels (the dense confusion matrix).
  const fs::path out = dir_ / "run";
  const auto r =
      run_limited({"--threads", "1", "train", "--data", data(2000, 2000).string(), "--model",
                   testing::fixture("models/tiny-bert").string(), "--out", out.string(), "--epochs",
                   "1", "--batch-size", "64", "--max-length", "16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(r.seconds, 240.0);
  EXPECT_LT(r.out.size(), 200u * 1024) << "the per-class report is O(labels); nothing O(labels^2)";
  EXPECT_NE(r.out.find("labels: label0 label1 "), std::string::npos);
  // The head learns the training split's 1700 labels; the report has scikit-learn's labels, the
  // union of the test split's 300 (none seen in training) and those predicted.
  EXPECT_NE(r.out.find(" ... (1700 labels)"), std::string::npos);
  EXPECT_LT(fs::file_size(out / "metrics.json"), 2u * 1024 * 1024);
  const auto metrics = nlohmann::json::parse(testing::read_text(out / "metrics.json"));
  const size_t reported = metrics.at("labels").size();
  EXPECT_GT(reported, 300u);
  EXPECT_NE(r.out.find("confusion matrix: not printed for " + std::to_string(reported) +
                       " labels (more than 30)"),
            std::string::npos);
  EXPECT_TRUE(metrics.at("confusion_matrix").is_null());
  int64_t cells = 0;
  for (const auto& cell : metrics.at("confusion_matrix_sparse")) cells += cell.at(2).get<int64_t>();
  EXPECT_EQ(cells, 300);  // every test sentence in one non-zero cell
  EXPECT_EQ(metrics.at("per_class").size(), reported);
}

}  // namespace
}  // namespace finsent
