// The Precompiled normalizer, Metaspace and the Unigram model together, without added tokens or a
// post-processor, against Hugging Face tokenizers on the adversarial texts and every PhraseBank
// sentence (tests/fixtures/text/sentencepiece/components, tools/make_sentencepiece_fixtures.py).
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "sentencepiece_segmenter.hpp"
#include "sentencepiece_test_support.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using testing::read_bytes;
using testing::sentencepiece_dir;

using Components = SentencePieceSegmenter;

// tools/make_sentencepiece_fixtures.py's digest() for a sequence without special tokens.
std::string digest(const std::vector<SegmentToken>& tokens, const std::string& decoded) {
  std::string text;
  for (const auto& t : tokens) {
    text += std::to_string(t.id) + ":" + std::to_string(t.begin) + ":" + std::to_string(t.end) +
            ":0:0:" + t.token + "\n";
  }
  text += "decoded:" + decoded + "\ndecoded_specials:" + decoded;
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

UnigramModel vocab_model(const std::string& name, int32_t unk, bool byte_fallback) {
  const json doc = json::parse(read_bytes(sentencepiece_dir() / name / "tokenizer.json"));
  std::vector<std::pair<std::string, double>> vocab;
  for (const auto& p : doc["model"]["vocab"]) vocab.emplace_back(p[0], p[1].get<double>());
  if (byte_fallback) {
    char piece[8];
    for (int b = 0; b < 256; ++b) {
      std::snprintf(piece, sizeof piece, "<0x%02X>", b);
      vocab.emplace_back(piece, -30.0);
    }
  }
  return UnigramModel(std::move(vocab), {unk, byte_fallback, true});
}

std::vector<std::string> inputs() {
  std::vector<std::string> out;
  std::ifstream in(sentencepiece_dir() / "adversarial_texts.jsonl");
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  for (auto& s : testing::phrasebank_sentences("Sentences_50Agree.txt")) out.push_back(s);
  return out;
}

void check(const std::string& variant, const Components& c) {
  const auto texts = inputs();
  std::ifstream in(sentencepiece_dir() / "components" / (variant + ".txt"));
  ASSERT_TRUE(in) << variant;
  std::string line;
  std::getline(in, line);  // header
  size_t i = 0, mismatches = 0;
  for (; std::getline(in, line) && i < texts.size(); ++i) {
    std::istringstream fields(line);
    size_t n;
    std::string want;
    fields >> n >> want;
    std::vector<SegmentToken> tokens;
    c.encode(texts[i], 0, texts[i].size(), true, tokens);
    std::vector<int32_t> ids;
    for (const auto& t : tokens) ids.push_back(t.id);
    const std::string decoded = c.decode(ids);
    const std::string got = digest(tokens, decoded);
    if (got != want || tokens.size() != n) {
      if (++mismatches <= 5) {
        std::string shown;
        for (const auto& t : tokens) {
          shown += t.token + "(" + std::to_string(t.id) + ")[" + std::to_string(t.begin) + "," +
                   std::to_string(t.end) + ") ";
        }
        ADD_FAILURE() << variant << " line " << i + 2 << ": " << json(texts[i]).dump() << "\n  "
                      << shown << "\n  decoded: " << decoded << " (want " << n << " tokens)";
      }
    }
  }
  EXPECT_EQ(i, texts.size());
  EXPECT_EQ(mismatches, 0u) << variant;
}

const PrecompiledCharsmap& nmt_nfkc() {
  static const PrecompiledCharsmap m(read_bytes(sentencepiece_dir() / "nmt_nfkc.charsmap"));
  return m;
}

TEST(SentencePieceComponents, AlwaysPrependSplit) {
  check("always_split", Components(nmt_nfkc(), Metaspace{U'\u2581', PrependScheme::Always, true},
                                   vocab_model("xlm-roberta", 3, false)));
}

TEST(SentencePieceComponents, FirstPrependNoSplit) {
  check("first_nosplit", Components(nmt_nfkc(), Metaspace{U'\u2581', PrependScheme::First, false},
                                    vocab_model("xlm-roberta", 3, false)));
}

TEST(SentencePieceComponents, NeverPrependByteFallback) {
  check("never_byte_fallback",
        Components(nmt_nfkc(), Metaspace{U'\u2581', PrependScheme::Never, true},
                   vocab_model("albert", 1, true)));
}

}  // namespace
}  // namespace finsent::text
