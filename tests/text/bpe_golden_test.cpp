// Byte-level BPE tokenizers (roberta-base, gpt2, ModernBERT-base pipelines over a vocabulary
// trained on the PhraseBank) against Hugging Face tokenizers: every PhraseBank sentence,
// adversarial strings, invalid UTF-8, pairs, truncation and padding. Fixtures:
// tools/make_bpe_tokenizer_fixtures.py.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/text/tokenizer.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using namespace finsent::text::testing;

// The canonical text of tools/make_bpe_tokenizer_fixtures.py's canonical().
std::string canonical(const Encoding& e, const std::string& decoded) {
  std::string text;
  for (size_t i = 0; i < e.size(); ++i) {
    text += std::to_string(e.ids[i]) + ":" + std::to_string(e.offsets[i].first) + ":" +
            std::to_string(e.offsets[i].second) + ":" + std::to_string(e.type_ids[i]) + ":" +
            std::to_string(e.special_tokens_mask[i]) + ":" + e.tokens[i] + "\n";
  }
  return text + "decoded:" + decoded;
}

std::string fnv1a(const std::string& text) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

Truncation strategy(const std::string& s) {
  if (s == "only_first") return Truncation::OnlyFirst;
  if (s == "only_second") return Truncation::OnlySecond;
  return Truncation::LongestFirst;
}

class ByteLevelBpe : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { tokenizer_ = load_tokenizer(fixture("bpe/" + GetParam())); }
  std::shared_ptr<const Tokenizer> tokenizer_;
};

TEST_P(ByteLevelBpe, EveryPhraseBankSentenceMatchesTheReference) {
  const auto sentences = phrasebank_sentences("Sentences_50Agree.txt");
  ASSERT_EQ(sentences.size(), 4846u);
  std::ifstream in(fixture("bpe/" + GetParam() + "_phrasebank.txt"));
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  size_t chunk = 0, mismatches = 0;
  constexpr size_t kChunk = 50;
  while (std::getline(in, line)) {
    size_t want_n = 0;
    char want[17] = {};
    ASSERT_EQ(std::sscanf(line.c_str(), "%zu %16s", &want_n, want), 2) << line;
    size_t n = 0;
    std::string text;
    for (size_t i = chunk * kChunk; i < std::min(sentences.size(), (chunk + 1) * kChunk); ++i) {
      const Encoding e = tokenizer_->encode(sentences[i]);
      n += e.size();
      text += canonical(e, tokenizer_->decode(e.ids));
    }
    if (n != want_n || fnv1a(text) != want) {
      ++mismatches;
      ADD_FAILURE() << "sentences " << chunk * kChunk + 1 << ".." << (chunk + 1) * kChunk
                    << " differ from the reference (" << n << " tokens, want " << want_n << ")";
    }
    ++chunk;
  }
  EXPECT_EQ(chunk, (sentences.size() + kChunk - 1) / kChunk);
  EXPECT_EQ(mismatches, 0u);
}

TEST_P(ByteLevelBpe, AdversarialPairsTruncationAndPaddingMatchTheReference) {
  const auto rows = read_jsonl(fixture("bpe/" + GetParam() + "_cases.jsonl"));
  ASSERT_GE(rows.size(), 300u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.dump().substr(0, 300));
    const std::string kind = row["kind"];
    EncodeOptions options;
    options.add_special_tokens = row.value("specials", true);
    if (row.contains("max_length") && !row["max_length"].is_null()) {
      options.max_length = row["max_length"].get<size_t>();
      options.truncation = strategy(row["strategy"]);
      options.truncation_side = row["direction"] == "left" ? Side::Left : Side::Right;
    }
    if (kind == "padding") {
      options.padding = row["pad_length"].is_null() ? Padding::Longest : Padding::MaxLength;
      if (!row["pad_length"].is_null()) options.max_length = row["pad_length"].get<size_t>();
      options.truncation = Truncation::None;  // the reference pads without truncating here
      options.padding_side = row["pad_side"] == "left" ? Side::Left : Side::Right;
      if (!row["pad_multiple"].is_null())
        options.pad_to_multiple_of = row["pad_multiple"].get<size_t>();
    }
    const std::string a =
        kind == "invalid_utf8" ? from_hex(row["a_hex"]) : row["a"].get<std::string>();
    const bool pair = row.contains("b") && !row["b"].is_null();
    const auto run = [&] {
      return pair ? tokenizer_->encode_pair(a, row["b"].get<std::string>(), options)
                  : tokenizer_->encode(a, options);
    };
    if (row.contains("error")) {
      EXPECT_THROW(run(), InputError);
      continue;
    }
    const Encoding e = run();
    EXPECT_EQ(json(e.ids), row["ids"]);
    EXPECT_EQ(json(e.tokens), row["tokens"]);
    EXPECT_EQ(json(e.type_ids), row["type_ids"]);
    EXPECT_EQ(json(e.special_tokens_mask), row["special_tokens_mask"]);
    if (row.contains("attention_mask")) {
      EXPECT_EQ(json(e.attention_mask), row["attention_mask"]);
    }
    if (row.contains("offsets")) {
      EXPECT_EQ(offsets_json(e), row["offsets"]);
    } else {
      for (const auto& [b, en] : e.offsets) {
        EXPECT_TRUE(b <= en && en <= a.size());
      }
    }
    EXPECT_EQ(tokenizer_->decode(e.ids), row["decoded"].get<std::string>());
    EXPECT_EQ(tokenizer_->decode(e.ids, false), row["decoded_specials"].get<std::string>());
    if (kind == "single" && options.add_special_tokens && !options.max_length) {
      EXPECT_EQ(tokenizer_->count_tokens(a) + tokenizer_->num_special_tokens_to_add(false),
                e.size());
    }
  }
}

// The word cache belongs to one model: a second tokenizer whose vocabulary gives two words each
// other's ids, used in between on the same thread, must not see the first one's cached words.
TEST(BpeWordCache, IsPerModelAndGivesTheUncachedResult) {
  std::ifstream in(fixture("bpe/roberta/tokenizer.json"));
  json doc = json::parse(in);
  json& vocab = doc["model"]["vocab"];
  const int64_t the = vocab["\u0120the"], of = vocab["\u0120of"];
  const std::string text = "the profit of the company and of the group";
  const auto a = load_tokenizer(fixture("bpe/roberta"));
  const Encoding first = a->encode(text);
  vocab["\u0120the"] = of;
  vocab["\u0120of"] = the;
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("finsent_bpe_cache_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << doc.dump();
  const auto b = load_tokenizer(dir);
  std::vector<int64_t> swapped = first.ids;
  for (auto& id : swapped) id = id == the ? of : id == of ? the : id;
  EXPECT_EQ(b->encode(text).ids, swapped);
  EXPECT_EQ(a->encode(text).ids, first.ids);
  EXPECT_EQ(b->encode(text).ids, swapped);
  EXPECT_NE(first.ids, swapped);
  // More distinct words than the cache holds: the ones past its capacity are merged each time and
  // give the same tokens.
  std::string words;
  // Appended piece by piece (GCC 12 warns a false -Wrestrict on "w" + std::to_string(...)).
  for (int i = 0; i < 12000; ++i) words.append("w").append(std::to_string(i * 7919)).append(" ");
  const Encoding many = a->encode(words);
  EXPECT_EQ(a->encode(words).ids, many.ids);
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(HubPipelines, ByteLevelBpe,
                         ::testing::Values("roberta", "gpt2", "modernbert"));

}  // namespace
}  // namespace finsent::text
