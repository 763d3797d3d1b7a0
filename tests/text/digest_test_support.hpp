// Digest fixtures (tools/make_sentencepiece_fixtures.py's digest_line format, also written by
// tools/make_mpnet_fixtures.py): one "n_tokens fnv1a64" line per encoding of the canonical text
// of its ids, offsets, type ids, special masks, tokens and both decodes.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "finsent/text/tokenizer.hpp"
#include "sentencepiece_test_support.hpp"

namespace finsent::text::testing {

// tools/make_sentencepiece_fixtures.py's digest().
inline std::string digest(const Encoding& e, const std::string& decoded,
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

struct DigestCase {
  std::string a;
  std::optional<std::string> b;
  EncodeOptions options;
};

inline std::vector<std::string> digest_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in) << file;
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Encodes every case and compares with the digest file line by line, showing the first five
// mismatches in full. Cases `known_difference` lists must differ (so a fix fails until the list
// drops them).
inline void check_digests(const Tokenizer& tok, const std::vector<DigestCase>& cases,
                          const std::filesystem::path& file, const std::string& what,
                          const std::function<bool(size_t)>& known_difference = {}) {
  const auto want = digest_lines(file);
  ASSERT_EQ(want.size(), cases.size()) << file;
  size_t mismatches = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const DigestCase& c = cases[i];
    const Encoding e = c.b ? tok.encode_pair(c.a, *c.b, c.options) : tok.encode(c.a, c.options);
    const std::string got = std::to_string(e.ids.size()) + " " +
                            digest(e, tok.decode(e.ids, true), tok.decode(e.ids, false));
    if (known_difference && known_difference(i)) {
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
      ADD_FAILURE() << what << " case " << i << ": " << nlohmann::json(c.a).dump()
                    << (c.b ? " + " + nlohmann::json(*c.b).dump() : "") << "\n  got " << got
                    << " want " << want[i] << "\n  " << shown
                    << "\n  decoded: " << tok.decode(e.ids, true);
    }
  }
  EXPECT_EQ(mismatches, 0u) << what;
}

// One case per text, each with `options`.
inline std::vector<DigestCase> single_cases(const std::vector<std::string>& texts,
                                            const EncodeOptions& options = {}) {
  std::vector<DigestCase> out;
  for (const auto& t : texts) out.push_back({t, std::nullopt, options});
  return out;
}

// sentencepiece/adversarial_texts.jsonl, one JSON string a line.
inline std::vector<std::string> adversarial_texts() {
  std::vector<std::string> texts;
  std::ifstream in(sentencepiece_dir() / "adversarial_texts.jsonl");
  EXPECT_TRUE(in);
  for (std::string line; std::getline(in, line);) texts.push_back(nlohmann::json::parse(line));
  return texts;
}

// sentencepiece/pair_inputs.jsonl over `base`: each line's max_length (or none) and specials.
inline std::vector<DigestCase> pair_cases(const EncodeOptions& base = {}) {
  std::vector<DigestCase> out;
  std::ifstream in(sentencepiece_dir() / "pair_inputs.jsonl");
  EXPECT_TRUE(in);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json p = nlohmann::json::parse(line);
    DigestCase c{p["a"], std::nullopt, base};
    if (!p["b"].is_null()) c.b = p["b"].get<std::string>();
    c.options.max_length = std::nullopt;
    if (!p["max_length"].is_null()) c.options.max_length = p["max_length"].get<size_t>();
    c.options.add_special_tokens = p["specials"];
    out.push_back(c);
  }
  return out;
}

}  // namespace finsent::text::testing
