// `finsent tokenize --model DIR` and `finsent data lengths --model DIR` on the older files a model
// directory may carry instead of tokenizer.json: a SentencePiece .model (XLM-R, ALBERT,
// DeBERTa-v3, converted as Transformers does) and RoBERTa's vocab.json + merges.txt; ids and
// lengths against the reference's (tools/make_sentencepiece_fixtures.py,
// tools/make_pipeline_component_fixtures.py).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/run_cli.hpp"
#include "digest_test_support.hpp"
#include "finsent/text/tokenizer.hpp"
#include "sentencepiece_test_support.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("finsent_legacy_cli_" + name + "_" +
                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  return dir;
}

// `tokenize --model DIR --input-jsonl` over `texts`: one JSON object per text.
std::vector<json> tokenize_cli(const fs::path& model, const std::vector<std::string>& texts) {
  std::string input;
  for (const auto& t : texts) input += json(t).dump() + "\n";
  const auto r =
      finsent::testing::run_cli({"tokenize", "--model", model.string(), "--input-jsonl"}, input);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string& out = r.out;
  std::vector<json> rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) rows.push_back(json::parse(line));
  EXPECT_EQ(rows.size(), texts.size()) << out;
  return rows;
}

// `data lengths --json` on `data` with `model`.
json data_lengths_cli(const fs::path& model, const fs::path& data) {
  const auto r = finsent::testing::run_cli(
      {"data", "lengths", "--data", data.string(), "--model", model.string(), "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

void expect_lengths(const json& got, const std::vector<size_t>& want) {
  ASSERT_FALSE(want.empty());
  double sum = 0;
  for (size_t n : want) sum += static_cast<double>(n);
  EXPECT_EQ(got["count"], want.size());
  EXPECT_EQ(got["min"], *std::min_element(want.begin(), want.end()));
  EXPECT_EQ(got["max"], *std::max_element(want.begin(), want.end()));
  EXPECT_NEAR(got["mean"].get<double>(), sum / static_cast<double>(want.size()), 1e-9);
}

TEST(LegacyFilesCli, VocabJsonMergesTxtDirectoryGivesTheReferenceIdsAndLengths) {
  const fs::path model = fixture("pipelines/roberta_legacy");
  ASSERT_FALSE(fs::exists(model / "tokenizer.json"));
  const auto rows = read_jsonl(fixture("pipelines/roberta_legacy.jsonl"));
  ASSERT_GE(rows.size(), 15u);
  std::vector<std::string> texts;
  for (const auto& r : rows) texts.push_back(r["text"]);
  const fs::path work = scratch("roberta_legacy");
  const auto got = tokenize_cli(model, texts);
  for (size_t i = 0; i < std::min(got.size(), rows.size()); ++i) {
    EXPECT_EQ(got[i]["ids"], rows[i]["ids"]) << texts[i];
    EXPECT_EQ(got[i]["tokens"], rows[i]["tokens"]) << texts[i];
  }
  // data lengths over the same texts (the readers skip no non-empty text): the reference's
  // lengths, special tokens included.
  const fs::path data = work / "texts.jsonl";
  std::vector<size_t> want;
  {
    std::ofstream out(data, std::ios::binary);
    for (const auto& r : rows) {
      if (r["text"].get<std::string>().empty()) continue;
      out << json{{"text", r["text"]}, {"label", "neutral"}}.dump() << "\n";
      want.push_back(r["ids"].size());
    }
  }
  expect_lengths(data_lengths_cli(model, data), want);
  fs::remove_all(work);
}

class SentencePieceModelCli : public ::testing::TestWithParam<const char*> {
 protected:
  // A directory holding only the .model (charsmap put back) and tokenizer_config.json.
  fs::path materialize(const fs::path& work) {
    const std::string name = GetParam(), file = sentencepiece_file(name);
    const fs::path dir = work / name;
    fs::create_directories(dir);
    std::ofstream(dir / file, std::ios::binary) << sentencepiece_model_bytes(name, file);
    std::ofstream(dir / "tokenizer_config.json", std::ios::binary)
        << read_bytes(sentencepiece_dir() / name / "tokenizer_config.json");
    return dir;
  }
};

TEST_P(SentencePieceModelCli, TokenizeGivesTheReferenceIds) {
  const fs::path work = scratch(std::string("spm_") + GetParam());
  const fs::path model = materialize(work);
  auto sentences = phrasebank_sentences("Sentences_50Agree.txt");
  ASSERT_GE(sentences.size(), 40u);
  sentences.resize(40);
  // The library on this directory is the reference on these sentences (their digests) ...
  const auto tok = load_tokenizer(model);
  const auto digests = digest_lines(sentencepiece_dir() / GetParam() / "phrasebank50_digests.txt");
  const auto got = tokenize_cli(model, sentences);
  for (size_t i = 0; i < std::min(got.size(), sentences.size()); ++i) {
    const Encoding e = tok->encode(sentences[i]);
    ASSERT_EQ(std::to_string(e.size()) + " " +
                  digest(e, tok->decode(e.ids, true), tok->decode(e.ids, false)),
              digests[i])
        << sentences[i];
    // ... and the command prints the same ids and tokens.
    EXPECT_EQ(got[i]["ids"], json(e.ids)) << sentences[i];
    EXPECT_EQ(got[i]["tokens"], json(e.tokens)) << sentences[i];
  }
  fs::remove_all(work);
}

TEST_P(SentencePieceModelCli, DataLengthsMatchTheReferenceOnThePhraseBank) {
  const auto data = phrasebank_dir() / "Sentences_50Agree.txt";
  ASSERT_TRUE(fs::exists(data)) << "set FINSENT_DATA to the FinancialPhraseBank-v1.0 folder";
  const fs::path work = scratch(std::string("spm_lengths_") + GetParam());
  std::vector<size_t> want;  // the first field of each digest line: the reference's length
  for (const auto& line :
       digest_lines(sentencepiece_dir() / GetParam() / "phrasebank50_digests.txt"))
    want.push_back(std::stoul(line.substr(0, line.find(' '))));
  ASSERT_EQ(want.size(), 4846u);
  expect_lengths(data_lengths_cli(materialize(work), data), want);
  fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(Models, SentencePieceModelCli, ::testing::ValuesIn(kSentencePieceModels));

}  // namespace
}  // namespace finsent::text
