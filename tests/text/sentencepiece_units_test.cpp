// Units of the SentencePiece components: the Unigram lattice, Metaspace, the charsmap header
// checks. Parity on real data is in sentencepiece_golden_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "finsent/core/error.hpp"
#include "metaspace.hpp"
#include "precompiled_charsmap.hpp"
#include "unigram_model.hpp"
#include "utf8_decode.hpp"

namespace finsent::text {
namespace {

std::vector<std::string> strings(const UnigramModel& m, std::string_view word,
                                 const std::vector<UnigramToken>& tokens) {
  std::vector<std::string> out;
  for (const auto& t : tokens) {
    out.push_back(t.byte ? m.id_to_token(t.id)
                         : std::string(word.substr(t.begin, t.end - t.begin)));
  }
  return out;
}

UnigramModel toy(bool byte_fallback = false) {
  std::vector<std::pair<std::string, double>> vocab = {{"<unk>", 0.0}, {"a", -1.0},    {"b", -2.0},
                                                       {"ab", -2.5},   {"abc", -10.0}, {"c", -3.0},
                                                       {"é", -1.0}};
  if (byte_fallback) {
    vocab.emplace_back("<0xE2>", -5.0);
    vocab.emplace_back("<0x98>", -5.0);
    vocab.emplace_back("<0x83>", -5.0);
  }
  return UnigramModel(vocab, {0, byte_fallback, true});
}

TEST(Unigram, ViterbiPicksTheBestScoringPath) {
  const auto m = toy();
  std::vector<UnigramToken> out;
  m.tokenize("abc", out);  // ab + c = -5.5 beats abc = -10 and a + b + c = -6
  EXPECT_EQ(strings(m, "abc", out), (std::vector<std::string>{"ab", "c"}));
  EXPECT_EQ(out[0].id, 3);
  EXPECT_EQ(out[1].begin, 2u);
  EXPECT_EQ(out[1].end, 3u);
}

TEST(Unigram, UnknownCharactersFuseAndKeepTheirText) {
  const auto m = toy();
  std::vector<UnigramToken> out;
  m.tokenize("a\xE2\x98\x83xyb", out);  // ☃ x y unknown, fused into one unk token
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].id, 0);
  EXPECT_EQ(strings(m, "a\xE2\x98\x83xyb", out)[1], "\xE2\x98\x83xy");
  EXPECT_EQ(out[1].begin, 1u);
  EXPECT_EQ(out[1].end, 6u);
}

TEST(Unigram, ByteFallbackNeedsEveryByte) {
  const auto m = toy(true);
  std::vector<UnigramToken> out;
  m.tokenize("\xE2\x98\x83", out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].byte);
  EXPECT_EQ(m.id_to_token(out[0].id), "<0xE2>");
  EXPECT_EQ(out[2].begin, 0u);
  EXPECT_EQ(out[2].end, 3u);
  m.tokenize("x", out);  // no <0x78>: unk
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, 0);
  EXPECT_FALSE(out[0].byte);
}

TEST(Unigram, UnkIdErrors) {
  EXPECT_THROW(UnigramModel({{"a", -1.0}}, {5, false, true}), TokenizerError);
  EXPECT_THROW(UnigramModel({}, {0, false, true}), TokenizerError);
  const UnigramModel no_unk({{"a", -1.0}}, {std::nullopt, false, true});
  std::vector<UnigramToken> out;
  no_unk.tokenize("aa", out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_THROW(no_unk.tokenize("ab", out), TokenizerError);
}

TEST(Unigram, DuplicatePieceMapsToItsLastId) {
  const UnigramModel m({{"<unk>", 0.0}, {"a", -1.0}, {"a", -2.0}}, {0, false, true});
  std::vector<UnigramToken> out;
  m.tokenize("a", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, 2);
}

TEST(Unigram, LongWordIsLinearInLength) {
  const auto m = toy();
  const std::string word(200000, 'a');
  std::vector<UnigramToken> out;
  m.tokenize(word, out);
  EXPECT_EQ(out.size(), 200000u);
}

std::vector<NormChar> chars_of(std::string_view s, uint32_t base = 0) {
  std::vector<NormChar> out;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    const size_t n = decode_utf8(s, i, cp);
    out.push_back({cp, base + static_cast<uint32_t>(i), base + static_cast<uint32_t>(i + n)});
    i += n;
  }
  return out;
}

std::string utf8_of(const std::vector<NormChar>& cs, size_t b, size_t e) {
  std::string s;
  for (size_t i = b; i < e; ++i) append_utf8(s, cs[i].cp);
  return s;
}

TEST(Metaspace, ReplacesSpacesPrependsAndMergesRunsWithNext) {
  Metaspace m;
  auto cs = chars_of("Hey  you ");
  std::vector<std::pair<size_t, size_t>> words;
  m.pre_tokenize(cs, true, words);
  std::vector<std::string> got;
  for (auto [b, e] : words) got.push_back(utf8_of(cs, b, e));
  EXPECT_EQ(got, (std::vector<std::string>{"\u2581Hey", "\u2581\u2581you", "\u2581"}));
  EXPECT_EQ(cs[0].begin, 0u);  // the prepended marker takes the first character's range
  EXPECT_EQ(cs[0].end, 1u);
  EXPECT_EQ(cs[4].begin, 3u);  // a replaced space keeps its own range
}

TEST(Metaspace, PrependSchemes) {
  std::vector<std::pair<size_t, size_t>> words;
  Metaspace first{U'\u2581', PrependScheme::First, true};
  auto cs = chars_of("x", 5);
  first.pre_tokenize(cs, false, words);
  EXPECT_EQ(utf8_of(cs, 0, cs.size()), "x");
  cs = chars_of("x");
  first.pre_tokenize(cs, true, words);
  EXPECT_EQ(utf8_of(cs, 0, cs.size()), "\u2581x");
  Metaspace never{U'\u2581', PrependScheme::Never, false};
  cs = chars_of("a b");
  never.pre_tokenize(cs, true, words);
  ASSERT_EQ(words.size(), 1u);
  EXPECT_EQ(utf8_of(cs, 0, cs.size()), "a\u2581b");
  EXPECT_THROW(parse_prepend_scheme("sometimes"), TokenizerError);
}

TEST(Metaspace, DecodeDropsEveryMarkerOfTheFirstToken) {
  const Metaspace m;
  EXPECT_EQ(m.decode({"\u2581Hey\u2581", "\u2581you"}), "Hey you");
  const Metaspace never{U'\u2581', PrependScheme::Never, true};
  EXPECT_EQ(never.decode({"\u2581Hey", "\u2581you"}), " Hey you");
}

TEST(PrecompiledCharsmap, MalformedHeadersAreErrors) {
  EXPECT_THROW(PrecompiledCharsmap(std::string("\x01\x00", 2)), TokenizerError);
  EXPECT_THROW(PrecompiledCharsmap(std::string("\x08\x00\x00\x00\x01\x00\x00\x00", 8)),
               TokenizerError);
  EXPECT_THROW(PrecompiledCharsmap(std::string("\x03\x00\x00\x00\x01\x00\x00\x00", 8)),
               TokenizerError);
  const PrecompiledCharsmap identity{std::string()};
  auto cs = chars_of("abc");
  std::vector<NormChar> scratch;
  identity.normalize(cs, scratch);
  EXPECT_EQ(cs.size(), 3u);
}

TEST(PrecompiledCharsmap, OutOfRangeTrieIsNoMatch) {
  // A one-unit trie whose root offset points outside the array: lookups never read past it.
  const PrecompiledCharsmap m(std::string("\x04\x00\x00\x00\xff\xff\xff\xff", 8));
  EXPECT_FALSE(m.transform("a"));
  EXPECT_FALSE(m.transform(std::string("\xff\xfe", 2)));
}

TEST(PrecompiledCharsmap, Base64IsCheckedAndDecoded) {
  const auto m = PrecompiledCharsmap::from_base64("BAAAAP////8=");
  EXPECT_EQ(m.blob(), std::string("\x04\x00\x00\x00\xff\xff\xff\xff", 8));
  EXPECT_THROW(PrecompiledCharsmap::from_base64("BAAAAP////8"), TokenizerError);
  EXPECT_THROW(PrecompiledCharsmap::from_base64("BAAA*P////8="), TokenizerError);
  EXPECT_THROW(PrecompiledCharsmap::from_base64("AQ=="), TokenizerError);  // 1-byte blob
  EXPECT_TRUE(PrecompiledCharsmap::from_base64("").empty());
}

}  // namespace
}  // namespace finsent::text
