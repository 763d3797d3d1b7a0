// Outputs on a full disk (RLIMIT_FSIZE in the child: writes past it fail as on a full disk): one
// line, exit 1, and nothing truncated or half-new under the final names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/run_limited.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_limited;

class DiskFull : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_disk_full_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 3000 rows of ~80 bytes: each output below is larger than the 16 KB limit.
    std::ofstream data(dir_ / "data.txt");
    const char* labels[] = {"negative", "neutral", "positive"};
    for (int i = 0; i < 3000; ++i)
      data << "the company said operating profit rose in the quarter number " << i << " .@"
           << labels[i % 3] << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::map<std::string, std::string> snapshot(const fs::path& dir) const {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
      out[e.path().filename().string()] = testing::read_text(e.path());
    return out;
  }

  fs::path dir_;
};

TEST_F(DiskFull, SplitWritesBothFilesOrNeither) {
  const fs::path out = dir_ / "split";
  fs::create_directories(out);
  std::ofstream(out / "train.jsonl") << "old train\n";
  std::ofstream(out / "test.jsonl") << "old test\n";
  const auto before = snapshot(out);
  testing::Limits limits;
  limits.file_size = 16 * 1024;
  const auto r = run_limited(
      {"data", "split", "--data", (dir_ / "data.txt").string(), "--out", out.string()}, limits);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(testing::one_line(r.err)) << r.err;
  EXPECT_EQ(r.err, "finsent: error: cannot write " + (out / "train.jsonl").string() +
                       ": write failed: File too large\n");
  EXPECT_EQ(snapshot(out), before) << "old files untouched, no temporary file left";
  const auto ok =
      run_limited({"data", "split", "--data", (dir_ / "data.txt").string(), "--out", out.string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(snapshot(out), before);
}

TEST_F(DiskFull, EvalPredictionsAreWholeOrAbsent) {
  const fs::path predictions = dir_ / "predictions.jsonl";
  testing::Limits limits;
  limits.file_size = 16 * 1024;
  const std::vector<std::string> args = {"eval",
                                         "--data",
                                         (dir_ / "data.txt").string(),
                                         "--model",
                                         testing::fixture("models/tiny-bert").string(),
                                         "--predictions",
                                         predictions.string()};
  const auto r = run_limited(args, limits);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "finsent: error: cannot write " + predictions.string() +
                       ": write failed: File too large\n");
  EXPECT_FALSE(fs::exists(predictions));
  EXPECT_EQ(snapshot(dir_).size(), 1u) << "only data.txt: no temporary file left";
  const auto ok = run_limited(args);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_GT(fs::file_size(predictions), 16u * 1024);
}

}  // namespace
}  // namespace finsent
