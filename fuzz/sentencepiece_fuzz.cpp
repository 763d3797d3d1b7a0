// libFuzzer target for the SentencePiece path: the Precompiled charsmap (nmt_nfkc) + Metaspace +
// Unigram on arbitrary bytes (ids in range, offsets inside the text and in order, no hang), and
// the .model reader and charsmap parser on arbitrary bytes (a TokenizerError or a result).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "finsent/core/error.hpp"
#include "metaspace.hpp"
#include "precompiled_charsmap.hpp"
#include "sentencepiece_model.hpp"
#include "unigram_model.hpp"
#include "utf8_decode.hpp"

namespace {

using namespace finsent::text;

std::string read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) std::abort();
  std::stringstream b;
  b << in.rdbuf();
  return b.str();
}

const PrecompiledCharsmap& charsmap() {
  static const PrecompiledCharsmap m(read(FINSENT_FIXTURES "/nmt_nfkc.charsmap"));
  return m;
}

const UnigramModel& model(bool byte_fallback) {
  static const UnigramModel* models[2] = {};
  if (!models[byte_fallback]) {
    std::vector<std::pair<std::string, double>> v = {{"<unk>", 0.0}, {"\u2581", -2.0}};
    for (const char* w : {"the", "\u2581the", "fin", "ance", "\u2581profit", "s", "e", "é", "中",
                          "a", "b", "ab", "abc", "\u2581a", "1", "0", ".", ","}) {
      v.emplace_back(w, -1.0 - static_cast<double>(v.size()) / 10);
    }
    if (byte_fallback) {
      char piece[8];
      for (int b = 0; b < 256; b += 3) {  // some bytes only: fallback and unk both occur
        std::snprintf(piece, sizeof piece, "<0x%02X>", b);
        v.emplace_back(piece, -20.0);
      }
    }
    models[byte_fallback] = new UnigramModel(v, {0, byte_fallback, true});
  }
  return *models[byte_fallback];
}

void tokenize(std::string_view text, uint8_t variant) {
  std::vector<NormChar> chars, scratch;
  for (size_t i = 0; i < text.size();) {
    char32_t cp;
    const size_t n = decode_utf8(text, i, cp);
    chars.push_back({cp, static_cast<uint32_t>(i), static_cast<uint32_t>(i + n)});
    i += n;
  }
  charsmap().normalize(chars, scratch);
  for (const auto& c : chars) {
    if (c.begin > c.end || c.end > text.size()) std::abort();
  }
  const Metaspace m{U'\u2581', static_cast<PrependScheme>(variant % 3), (variant & 4) != 0};
  std::vector<std::pair<size_t, size_t>> words;
  m.pre_tokenize(chars, (variant & 8) != 0, words);
  const UnigramModel& um = model((variant & 16) != 0);
  std::vector<UnigramToken> tokens;
  std::vector<std::string_view> strings;
  for (const auto& [b, e] : words) {
    if (b >= e || e > chars.size()) std::abort();
    std::string word;
    for (size_t c = b; c < e; ++c) append_utf8(word, chars[c].cp);
    um.tokenize(word, tokens);
    uint32_t last_end = 0;
    for (const auto& t : tokens) {
      if (t.id < 0 || static_cast<size_t>(t.id) >= um.vocab_size()) std::abort();
      if (t.begin >= t.end || t.end > word.size() || t.begin < (t.byte ? 0 : last_end))
        std::abort();
      last_end = t.end;
      strings.push_back(um.id_to_token(t.id));
    }
  }
  (void)m.decode(strings);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const uint8_t mode = data[0];
  if (mode < 0xF0) {
    tokenize(rest, mode);
    return 0;
  }
  try {
    if (mode & 1) {
      const PrecompiledCharsmap m{std::string(rest)};
      (void)m.transform("a\xC3\xA9\xEF\xBC\xA1");
    } else {
      (void)parse_sentencepiece_model(rest, "fuzz.model");
    }
  } catch (const finsent::TokenizerError&) {
  }
  return 0;
}
