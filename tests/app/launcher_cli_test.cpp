// `finsent train --nproc-per-node N`: the built binary starts N ranks of itself with torchrun's
// environment and ends with their verdict.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;

class Launcher : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_launcher_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream out(dir_ / "data.txt", std::ios::binary);
    for (int i = 0; i < 6; ++i)
      out << "net sales rose " << i << "@positive\nprofit fell@negative\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> train(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"train",
                                     "--data",
                                     (dir_ / "data.txt").string(),
                                     "--model",
                                     testing::fixture("models/tiny-bert").string(),
                                     "--out",
                                     (dir_ / "out").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  fs::path dir_;
};

// Until the c10d path lands every rank refuses a world of several processes: the launcher starts
// them (each reads WORLD_SIZE=2), one fails first, the launcher names it and exits with its code.
TEST_F(Launcher, StartsTheRanksAndReportsTheFirstFailure) {
  const auto r = run_cli(train({"--nproc-per-node", "2", "--master-port", "29517"}));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("(WORLD_SIZE=2, RANK=0)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("(WORLD_SIZE=2, RANK=1)"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(
      r.err, std::regex("\nfinsent: error: rank [01] \\(pid [0-9]+\\) exited with code 1")))
      << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "config.json"));
}

TEST_F(Launcher, ARankOfATorchrunWorldIsNotALauncher) {
  // RANK already set (torchrun's worker): --nproc-per-node is ignored, this process is rank 1 of 2.
  const std::vector<std::pair<const char*, const char*>> vars = {
      {"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29500"}};
  for (const auto& [name, value] : vars) ::setenv(name, value, 1);
  const auto r = run_cli(train({"--nproc-per-node", "2"}));
  for (const auto& [name, value] : vars) ::unsetenv(name);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "finsent: error: distributed training is not available in this build (WORLD_SIZE=2, "
            "RANK=1)\n");
}

TEST_F(Launcher, NodeRankMustBeBelowNnodes) {
  const auto r = run_cli(train({"--nproc-per-node", "2", "--nnodes", "2", "--node-rank", "2"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "finsent: error: --node-rank 2 must be below --nnodes 2\n");
}

TEST_F(Launcher, BadFlagValuesAreUsageErrors) {
  EXPECT_EQ(run_cli(train({"--nproc-per-node", "0"})).exit_code, 2);
  EXPECT_EQ(run_cli(train({"--master-port", "70000"})).exit_code, 2);
}

}  // namespace
}  // namespace finsent
