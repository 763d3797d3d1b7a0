// tokenizer.json components beyond the Hub BPE fixtures (BPE options, normalizer chains, splitting
// pre-tokenizers with every behavior, decoder chains, "a b" merges) and vocab.json + merges.txt,
// against HF tokenizers / Transformers. Fixtures: tools/make_pipeline_component_fixtures.py.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "finsent/text/tokenizer.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using namespace finsent::text::testing;

class PipelineComponents : public ::testing::TestWithParam<std::string> {};

TEST_P(PipelineComponents, EncodeAndDecodeMatchTheReference) {
  const auto tokenizer = load_tokenizer(fixture("pipelines/" + GetParam()));
  std::ifstream in(fixture("pipelines/" + GetParam() + ".jsonl"));
  ASSERT_TRUE(in);
  std::string line;
  size_t rows = 0;
  while (std::getline(in, line)) {
    const json row = json::parse(line);
    const std::string text = row["text"];
    SCOPED_TRACE(GetParam() + ": " + row["text"].dump());
    const Encoding e = tokenizer->encode(text);
    json offsets = json::array();
    for (const auto& [b, en] : e.offsets) offsets.push_back({b, en});
    EXPECT_EQ(json(e.ids), row["ids"]);
    EXPECT_EQ(json(e.tokens), row["tokens"]);
    EXPECT_EQ(offsets, row["offsets"]);
    EXPECT_EQ(json(e.type_ids), row["type_ids"]);
    EXPECT_EQ(json(e.special_tokens_mask), row["special_tokens_mask"]);
    EXPECT_EQ(tokenizer->decode(e.ids), row["decoded"].get<std::string>());
    EXPECT_EQ(tokenizer->decode(e.ids, false), row["decoded_specials"].get<std::string>());
    ++rows;
  }
  EXPECT_GE(rows, 15u);
}

// A tokenizer.json whose model keeps every character it knows and drops the others, behind
// `normalizer`: what survives is what the normalizer left.
std::vector<std::string> surviving(const json& normalizer, const std::string& text) {
  json vocab = json::object();
  for (const char* c : {"a", "b", "c", " ", "\u0903", "\u20DD", "\u0301", "\u093F"})
    vocab[c] = vocab.size();
  const json doc = {{"version", "1.0"},
                    {"normalizer", normalizer},
                    {"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", json::array()}}}};
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("finsent_marks_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "tokenizer.json") << doc.dump();
  const auto tokens = load_tokenizer(dir)->encode(text).tokens;
  std::filesystem::remove_all(dir);
  return tokens;
}

// tokenizers' StripAccents drops every mark, spacing (Mc: Devanagari's vowel sign I, the
// visarga) and enclosing (Me) ones included; BertNormalizer's strip_accents only nonspacing ones.
// The reference's normalize_str("a\u0903b\u20DD c\u0301 \u093F"): "ab c " and, for
// BertNormalizer(strip_accents=True, lowercase=False, clean_text=False,
// handle_chinese_chars=False), "a\u0903b\u20DD c \u093F".
TEST(PipelineNormalizers, StripAccentsDropsEveryMarkBertNormalizerOnlyNonspacingOnes) {
  const std::string text = "a\u0903b\u20DD c\u0301 \u093F";
  EXPECT_EQ(surviving({{"type", "StripAccents"}}, text),
            (std::vector<std::string>{"a", "b", " ", "c", " "}));
  EXPECT_EQ(surviving({{"type", "BertNormalizer"},
                       {"clean_text", false},
                       {"handle_chinese_chars", false},
                       {"strip_accents", true},
                       {"lowercase", false}},
                      text),
            (std::vector<std::string>{"a", "\u0903", "b", "\u20DD", " ", "c", " ", "\u093F"}));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, PipelineComponents,
                         ::testing::Values("prefix_unk_fuse", "suffix", "byte_fallback",
                                           "splits_ignore_merges", "roberta_legacy"));

}  // namespace
}  // namespace finsent::text
