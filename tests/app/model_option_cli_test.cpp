// `--model org/name` resolves from the Hugging Face cache in every model-loading command.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;

// A cache holding the tiny-bert fixture as acme/tiny-bert at one commit, like huggingface_hub's.
class CachedModel : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = fs::temp_directory_path() / ("finsent_model_option_" + std::to_string(::getpid()));
    const std::string commit = "0123456789abcdef0123456789abcdef01234567";
    const fs::path repo = cache_ / "models--acme--tiny-bert";
    fs::create_directories(repo / "refs");
    fs::create_directories(repo / "snapshots" / commit);
    std::ofstream(repo / "refs" / "main") << commit;
    for (const auto& f : fs::directory_iterator(testing::fixture("models/tiny-bert"))) {
      fs::copy_file(f.path(), repo / "snapshots" / commit / f.path().filename());
    }
    ::setenv("HF_HUB_CACHE", cache_.c_str(), 1);
  }
  void TearDown() override {
    ::unsetenv("HF_HUB_CACHE");
    fs::remove_all(cache_);
  }
  fs::path cache_;
};

TEST_F(CachedModel, PredictAndTokenizeTakeAHubId) {
  const auto by_id = run_cli({"predict", "--json", "--model", "acme/tiny-bert", "Profit rose"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  const auto by_dir = run_cli({"predict", "--json", "--model",
                               testing::fixture("models/tiny-bert").string(), "Profit rose"});
  EXPECT_EQ(by_id.out, by_dir.out);
  const auto tok = run_cli({"tokenize", "--model", "acme/tiny-bert", "--json", "profit"});
  EXPECT_EQ(tok.exit_code, 0) << tok.err;
}

TEST_F(CachedModel, UncachedIdSaysToDownload) {
  const auto r = run_cli({"eval", "--data", "x.txt", "--model", "acme/absent"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("run `finsent download acme/absent` first"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

}  // namespace
}  // namespace finsent
