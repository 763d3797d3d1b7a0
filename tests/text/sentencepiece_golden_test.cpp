// XLM-R, ALBERT and DeBERTa-v3 pipelines end to end (added tokens, normalizers, Metaspace, Unigram,
// post-processor, truncation, decode) against Hugging Face tokenizers, loaded both from the
// converted tokenizer.json and from the SentencePiece .model + tokenizer_config.json
// (tests/fixtures/text/sentencepiece, tools/make_sentencepiece_fixtures.py).
#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "finsent/text/tokenizer.hpp"
#include "sentencepiece_test_support.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::read_bytes;
using testing::sentencepiece_dir;

std::string base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? k[v & 63] : '=';
  }
  return out;
}

// A directory holding the fixture with its charsmap put back: tokenizer.json (as_json) or the
// .model + tokenizer_config.json.
fs::path materialize(const std::string& name, bool as_json) {
  const fs::path dir = fs::temp_directory_path() /
                       ("finsent_spm_" + name + (as_json ? "_json_" : "_model_") +
                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  const fs::path src = sentencepiece_dir() / name;
  std::ofstream(dir / "tokenizer_config.json", std::ios::binary)
      << read_bytes(src / "tokenizer_config.json");
  if (as_json) {
    json doc = json::parse(read_bytes(src / "tokenizer.json"));
    const std::string charsmap = base64(read_bytes(sentencepiece_dir() / "nmt_nfkc.charsmap"));
    for (auto& n : doc["normalizer"]["normalizers"]) {
      if (n.contains("precompiled_charsmap_from")) {
        n.erase("precompiled_charsmap_from");
        n["precompiled_charsmap"] = charsmap;
      }
    }
    std::ofstream(dir / "tokenizer.json", std::ios::binary) << doc.dump();
  } else {
    const std::string file = testing::sentencepiece_file(name);
    std::ofstream(dir / file, std::ios::binary) << testing::sentencepiece_model_bytes(name, file);
  }
  return dir;
}

// tools/make_sentencepiece_fixtures.py's digest().
std::string digest(const Encoding& e, const std::string& decoded,
                   const std::string& with_specials) {
  std::string text;
  for (size_t i = 0; i < e.ids.size(); ++i) {
    text += std::to_string(e.ids[i]) + ":" + std::to_string(e.offsets[i].first) + ":" +
            std::to_string(e.offsets[i].second) + ":" + std::to_string(e.type_ids[i]) + ":" +
            std::to_string(e.special_tokens_mask[i]) + ":" + e.tokens[i] + "\n";
  }
  text += "decoded:" + decoded + "\ndecoded_specials:" + with_specials;
  uint64_t h = 0xCBF29CE484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, h);
  return buf;
}

struct Case {
  std::string a;
  std::optional<std::string> b;
  EncodeOptions options;
};

std::vector<std::string> digest_lines(const fs::path& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in) << file;
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Known, open difference (docs/sentencepiece.md): ALBERT's NFKD + StripAccents + Precompiled
// chain on Devanagari "नमस्ते दुनिया" (adversarial case 17). Listed so that any other mismatch,
// or this one starting to match, fails.
bool known_difference(const std::string& what, size_t i) {
  return what.rfind("albert", 0) == 0 && what.find("adversarial") != std::string::npos && i == 17;
}

void check(const Tokenizer& tok, const std::vector<Case>& cases, const fs::path& file,
           const std::string& what) {
  const auto want = digest_lines(file);
  ASSERT_EQ(want.size(), cases.size()) << file;
  size_t mismatches = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const Encoding e = c.b ? tok.encode_pair(c.a, *c.b, c.options) : tok.encode(c.a, c.options);
    const std::string got = std::to_string(e.ids.size()) + " " +
                            digest(e, tok.decode(e.ids, true), tok.decode(e.ids, false));
    if (known_difference(what, i)) {
      EXPECT_NE(got, want[i]) << what << " case " << i << " now matches: drop it from the list";
      continue;
    }
    if (got != want[i] && ++mismatches <= 5) {
      std::string shown;
      for (size_t k = 0; k < e.ids.size(); ++k) {
        shown += e.tokens[k] + "(" + std::to_string(e.ids[k]) + ")[" +
                 std::to_string(e.offsets[k].first) + "," + std::to_string(e.offsets[k].second) +
                 ") ";
      }
      ADD_FAILURE() << what << " case " << i << ": " << json(c.a).dump()
                    << (c.b ? " + " + json(*c.b).dump() : "") << "\n  got " << got << " want "
                    << want[i] << "\n  " << shown << "\n  decoded: " << tok.decode(e.ids, true);
    }
  }
  EXPECT_EQ(mismatches, 0u) << what;
}

std::vector<Case> single_cases(const std::vector<std::string>& texts) {
  std::vector<Case> out;
  for (const auto& t : texts) out.push_back({t, std::nullopt, {}});
  return out;
}

std::vector<Case> adversarial_cases() {
  std::vector<std::string> texts;
  std::ifstream in(sentencepiece_dir() / "adversarial_texts.jsonl");
  for (std::string line; std::getline(in, line);) texts.push_back(json::parse(line));
  return single_cases(texts);
}

std::vector<Case> pair_cases() {
  std::vector<Case> out;
  std::ifstream in(sentencepiece_dir() / "pair_inputs.jsonl");
  for (std::string line; std::getline(in, line);) {
    const json p = json::parse(line);
    Case c{p["a"], std::nullopt, {}};
    if (!p["b"].is_null()) c.b = p["b"].get<std::string>();
    if (!p["max_length"].is_null()) c.options.max_length = p["max_length"].get<size_t>();
    c.options.add_special_tokens = p["specials"];
    out.push_back(c);
  }
  return out;
}

class SentencePieceGolden : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

TEST_P(SentencePieceGolden, MatchesTokenizers) {
  const std::string name = std::get<0>(GetParam());
  const bool as_json = std::get<1>(GetParam());
  const fs::path dir = materialize(name, as_json);
  const auto tok = load_tokenizer(dir);
  const std::string what = name + (as_json ? " tokenizer.json" : " .model");
  const fs::path fx = sentencepiece_dir() / name;
  check(*tok, single_cases(testing::phrasebank_sentences("Sentences_50Agree.txt")),
        fx / "phrasebank50_digests.txt", what + " PhraseBank");
  check(*tok, adversarial_cases(), fx / "adversarial_digests.txt", what + " adversarial");
  check(*tok, pair_cases(), fx / "pair_digests.txt", what + " pairs");
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Models, SentencePieceGolden,
                         ::testing::Combine(::testing::ValuesIn(testing::kSentencePieceModels),
                                            ::testing::Bool()));

}  // namespace
}  // namespace finsent::text
