// CSV read as Python reads it and the data-file size limit, through the CLI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

using testing::run_cli;

TEST(DelimitedCli, TheIssuesQuotedWordsAreReadAsPythonReadsThem) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("finsent_delimited_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "data.csv", std::ios::binary)
        << "text,label\nProfit \"rose\" sharply .,positive\nSales fell .,negative\n";
  }
  auto r = run_cli({"data", "split", "--data", (dir / "data.csv").string(), "--test-ratio", "0",
                    "--out", (dir / "split").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string train = testing::read_text(dir / "split" / "train.jsonl");
  EXPECT_NE(train.find(R"({"label":"positive","text":"Profit \"rose\" sharply ."})"),
            std::string::npos)
      << train;
  std::filesystem::remove_all(dir);
}

TEST(DelimitedCli, DevZeroIsRefusedAtTheLimitInOneLine) {
  for (const std::string cmd : {"stats", "split"}) {
    std::vector<std::string> args{"data",     cmd,   "--data",           "/dev/zero",
                                  "--format", "csv", "--max-data-bytes", "1000000"};
    if (cmd == "split") args.insert(args.end(), {"--out", "/tmp/finsent_cli_never"});
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << cmd;
    EXPECT_EQ(r.err,
              "finsent: error: /dev/zero: larger than the data-file limit of 1000000 bytes (raise "
              "it with --max-data-bytes)\n")
        << cmd;
  }
  const auto r = run_cli({"baseline", "--data", "/dev/zero", "--max-data-bytes", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // a limit must be positive: a usage error
}

}  // namespace
}  // namespace finsent
