// `finsent tokenize` and `finsent data lengths` on tokenizer.json-only model directories of each
// byte-level BPE type (the fixtures of tools/make_bpe_tokenizer_fixtures.py).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "common/run_cli.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using finsent::testing::run_cli;
using nlohmann::json;

// The reference's encoding of `text` from the fixture cases.
json expected(const std::string& model, const std::string& text) {
  std::ifstream in(testing::fixture("bpe/" + model + "_cases.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    const json row = json::parse(line);
    if (row["kind"] == "single" && row["a"] == text) return row;
  }
  ADD_FAILURE() << "no fixture case for " << text;
  return json();
}

class BpeCli : public ::testing::TestWithParam<std::string> {};

TEST_P(BpeCli, TokenizeReadsATokenizerJsonOnlyDirectory) {
  const std::string dir = testing::fixture("bpe/" + GetParam());
  ASSERT_FALSE(std::filesystem::exists(dir + "/vocab.txt"));
  const auto r = run_cli({"tokenize", "--model", dir, "--input-jsonl"},
                         "\"Hello, World!\"\n\"Café résumé naïve façade\"\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  for (const char* text : {"Hello, World!", "Café résumé naïve façade"}) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << r.out;
    const json got = json::parse(line), want = expected(GetParam(), text);
    EXPECT_EQ(got["ids"], want["ids"]) << text;
    EXPECT_EQ(got["tokens"], want["tokens"]) << text;
  }
}

TEST_P(BpeCli, DataLengthsMatchTheReferenceOnThePhraseBank) {
  const auto data = (testing::phrasebank_dir() / "Sentences_50Agree.txt").string();
  ASSERT_TRUE(std::filesystem::exists(data))
      << "set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder";
  std::ifstream in(testing::fixture("bpe/" + GetParam() + "_lengths.json"));
  const json want = json::parse(in);
  const auto r = run_cli({"data", "lengths", "--data", data, "--model",
                          testing::fixture("bpe/" + GetParam()), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json got = json::parse(r.out);
  EXPECT_EQ(got["count"], want["count"]);
  EXPECT_EQ(got["min"], want["min"]);
  EXPECT_EQ(got["max"], want["max"]);
  EXPECT_NEAR(got["mean"].get<double>(), want["mean"].get<double>(), 1e-9);
}

INSTANTIATE_TEST_SUITE_P(HubPipelines, BpeCli, ::testing::Values("roberta", "gpt2", "modernbert"));

}  // namespace
}  // namespace finsent::text
