// Golden parity with Hugging Face tokenizers: ids, tokens, byte offsets and decode, fixture by
// fixture.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdio>
#include <fstream>

#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using namespace finsent::text::testing;

// Same canonical text and FNV-1a as tools/make_tokenizer_fixtures.py's digest().
std::string digest(const Encoding& e, const std::string& decoded) {
  std::string text;
  for (size_t i = 0; i < e.ids.size(); ++i) {
    text += std::to_string(e.ids[i]) + ":" + std::to_string(e.offsets[i].first) + ":" +
            std::to_string(e.offsets[i].second) + ":" + e.tokens[i] + "\n";
  }
  text += "decoded:" + decoded;
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

class BertUncased : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto path = bert_vocab();
    if (std::filesystem::exists(path))
      tokenizer_ = new WordPieceTokenizer(WordPieceTokenizer::load(path));
  }
  static void TearDownTestSuite() {
    delete tokenizer_;
    tokenizer_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(tokenizer_, nullptr) << "bert-base-uncased vocab.txt not found";
  }
  static WordPieceTokenizer* tokenizer_;
};
WordPieceTokenizer* BertUncased::tokenizer_ = nullptr;

TEST_F(BertUncased, EveryPhraseBankSentenceMatchesTheReference) {
  const auto sentences = phrasebank_sentences("Sentences_50Agree.txt");
  ASSERT_EQ(sentences.size(), 4846u);
  std::ifstream in(fixture("phrasebank50_digests.txt"));
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  size_t i = 0, mismatches = 0;
  while (std::getline(in, line)) {
    ASSERT_LT(i, sentences.size());
    size_t n = 0;
    char want[17] = {};
    ASSERT_EQ(std::sscanf(line.c_str(), "%zu %16s", &n, want), 2) << line;
    const Encoding e = tokenizer_->encode(sentences[i]);
    const std::string got = digest(e, tokenizer_->decode(e.ids));
    if (e.ids.size() != n || got != want) {
      ++mismatches;
      ADD_FAILURE() << "sentence " << i + 1 << " differs from the reference (" << e.ids.size()
                    << " tokens, want " << n << "): " << sentences[i];
    }
    ++i;
  }
  EXPECT_EQ(i, sentences.size());
  EXPECT_EQ(mismatches, 0u);
}

TEST_F(BertUncased, AdversarialStringsMatchTheReference) {
  const auto rows = read_jsonl(fixture("adversarial.jsonl"));
  ASSERT_GE(rows.size(), 320u);
  for (const auto& row : rows) {
    const std::string text = row["text"];
    const Encoding e = tokenizer_->encode(text);
    SCOPED_TRACE("text: " + row["text"].dump());
    EXPECT_EQ(json(e.ids), row["ids"]);
    EXPECT_EQ(json(e.tokens), row["tokens"]);
    EXPECT_EQ(offsets_json(e), row["offsets"]);
    EXPECT_EQ(tokenizer_->decode(e.ids), row["decoded"].get<std::string>());
    EXPECT_EQ(tokenizer_->decode(e.ids, false), row["decoded_specials"].get<std::string>());
    EXPECT_EQ(tokenizer_->count_tokens(text), e.ids.size() - 2);
  }
}

TEST_F(BertUncased, PairsAndTruncationMatchTheReference) {
  const auto rows = read_jsonl(fixture("pairs.jsonl"));
  ASSERT_GE(rows.size(), 100u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.dump().substr(0, 300));
    EncodeOptions options;
    options.add_special_tokens = row["specials"];
    if (!row["max_length"].is_null()) options.max_length = row["max_length"].get<size_t>();
    const std::string a = row["a"];
    const Encoding e = row["b"].is_null()
                           ? tokenizer_->encode(a, options)
                           : tokenizer_->encode_pair(a, row["b"].get<std::string>(), options);
    EXPECT_EQ(json(e.ids), row["ids"]);
    EXPECT_EQ(json(e.type_ids), row["type_ids"]);
    EXPECT_EQ(json(e.tokens), row["tokens"]);
    EXPECT_EQ(offsets_json(e), row["offsets"]);
    EXPECT_EQ(e.attention_mask, std::vector<int64_t>(e.ids.size(), 1));
  }
}

TEST(SmallCasedTokenizerJson, MatchesTheReference) {
  const auto tokenizer = WordPieceTokenizer::load(fixture("small_cased_tokenizer.json"));
  EXPECT_FALSE(tokenizer.normalizer_options().lowercase);
  for (const auto& row : read_jsonl(fixture("small_cased_expected.jsonl"))) {
    const std::string text = row["text"];
    SCOPED_TRACE(text);
    const Encoding e = tokenizer.encode(text);
    EXPECT_EQ(json(e.ids), row["ids"]);
    EXPECT_EQ(json(e.tokens), row["tokens"]);
    EXPECT_EQ(offsets_json(e), row["offsets"]);
  }
}

}  // namespace
}  // namespace finsent::text
