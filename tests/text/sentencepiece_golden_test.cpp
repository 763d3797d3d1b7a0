// XLM-R, ALBERT and DeBERTa-v3 pipelines end to end (added tokens, normalizers, Metaspace, Unigram,
// post-processor, truncation, decode) against Hugging Face tokenizers, loaded both from the
// converted tokenizer.json and from the SentencePiece .model + tokenizer_config.json
// (tests/fixtures/text/sentencepiece, tools/make_sentencepiece_fixtures.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "digest_test_support.hpp"
#include "finsent/text/tokenizer.hpp"
#include "sentencepiece_test_support.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::read_bytes;
using testing::sentencepiece_dir;
using namespace testing;

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

class SentencePieceGolden : public ::testing::TestWithParam<std::tuple<const char*, bool>> {};

TEST_P(SentencePieceGolden, MatchesTokenizers) {
  const std::string name = std::get<0>(GetParam());
  const bool as_json = std::get<1>(GetParam());
  const fs::path dir = materialize(name, as_json);
  const auto tok = load_tokenizer(dir);
  const std::string what = name + (as_json ? " tokenizer.json" : " .model");
  const fs::path fx = sentencepiece_dir() / name;
  check_digests(*tok, single_cases(testing::phrasebank_sentences("Sentences_50Agree.txt")),
                fx / "phrasebank50_digests.txt", what + " PhraseBank");
  check_digests(*tok, single_cases(adversarial_texts()), fx / "adversarial_digests.txt",
                what + " adversarial");
  check_digests(*tok, pair_cases(), fx / "pair_digests.txt", what + " pairs");
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Models, SentencePieceGolden,
                         ::testing::Combine(::testing::ValuesIn(testing::kSentencePieceModels),
                                            ::testing::Bool()));

}  // namespace
}  // namespace finsent::text
