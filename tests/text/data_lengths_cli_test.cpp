// `finsent data lengths` end to end on the PhraseBank, against figures from the reference.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "common/run_cli.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

TEST(DataLengthsCli, PhraseBankFiguresMatchTheReference) {
  const auto data = (testing::phrasebank_dir() / "Sentences_50Agree.txt").string();
  ASSERT_TRUE(std::filesystem::exists(data))
      << "set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder";
  const auto r = finsent::testing::run_cli(
      {"data", "lengths", "--data", data, "--vocab", testing::bert_vocab().string(), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
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
  const auto r = finsent::testing::run_cli({"data", "lengths", "--data", "/nonexistent.txt"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "finsent: error: data lengths needs --model DIR or --vocab FILE\n");
}

}  // namespace
}  // namespace finsent::text
