// tokenizer.json components beyond the Hub BPE fixtures (BPE options, normalizer chains, splitting
// pre-tokenizers with every behavior, decoder chains, "a b" merges) and vocab.json + merges.txt,
// against HF tokenizers / Transformers. Fixtures: tools/make_pipeline_component_fixtures.py.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

INSTANTIATE_TEST_SUITE_P(Fixtures, PipelineComponents,
                         ::testing::Values("prefix_unk_fuse", "suffix", "byte_fallback",
                                           "splits_ignore_merges", "roberta_legacy"));

}  // namespace
}  // namespace finsent::text
