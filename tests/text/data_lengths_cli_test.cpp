// `finsent data lengths` end to end on the PhraseBank, against figures from the reference.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <string>

#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

std::string run_lengths(const std::string& args, int& status) {
  std::string cmd = "'";
  cmd.append(FINSENT_BINARY).append("' data lengths ").append(args).append(" 2>&1");
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  if (!pipe) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  status = pclose(pipe);
  return out;
}

TEST(DataLengthsCli, PhraseBankFiguresMatchTheReference) {
  const auto data = (testing::phrasebank_dir() / "Sentences_50Agree.txt").string();
  ASSERT_TRUE(std::filesystem::exists(data))
      << "set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder";
  int status = -1;
  const std::string out = run_lengths(
      "--data '" + data + "' --vocab '" + testing::bert_vocab().string() + "' --json", status);
  ASSERT_EQ(status, 0) << out;
  const auto j = nlohmann::json::parse(out);
  // numpy over HF tokenizers' lengths: min 4, mean 30.605654..., percentiles 28/50/57/68, max 150,
  // the 4842nd of 4846 sorted lengths is 93; padding saved 0.870343 / 0.751982.
  EXPECT_EQ(j["count"], 4846);
  EXPECT_EQ(j["min"], 4);
  EXPECT_NEAR(j["mean"].get<double>(), 30.605654147750723, 1e-9);
  EXPECT_EQ(j["p50"], 28.0);
  EXPECT_EQ(j["p90"], 50.0);
  EXPECT_EQ(j["p95"], 57.0);
  EXPECT_EQ(j["p99"], 68.0);
  EXPECT_EQ(j["max"], 150);
  EXPECT_EQ(j["max_len_99_9"], 93);
  EXPECT_EQ(j["max_len_100"], 150);
  EXPECT_NEAR(j["padding_saved_vs_512_99_9"].get<double>(), 0.8703432773057012, 1e-9);
  EXPECT_NEAR(j["padding_saved_vs_512_100"].get<double>(), 0.7519822430799923, 1e-9);
}

TEST(DataLengthsCli, NeedsATokenizer) {
  int status = -1;
  const std::string out = run_lengths("--data /nonexistent.txt", status);
  EXPECT_EQ(WEXITSTATUS(status), 2) << out;
  EXPECT_EQ(out, "finsent: error: data lengths needs --model DIR or --vocab FILE\n");
}

}  // namespace
}  // namespace finsent::text
