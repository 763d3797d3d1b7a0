// Behaviour of WordPieceTokenizer beyond the golden fixtures: invalid UTF-8, padding, batches,
// loading errors, vocab quirks and save/load round trips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/core/threads.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using namespace finsent::text::testing;

std::vector<std::string> tiny_vocab() {
  return {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the",
          "cat",   "sat",   "##s",   ".",     "a",      "##b"};
}

fs::path temp_dir(const std::string& name) {
  auto dir =
      fs::temp_directory_path() / ("finsent_text_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

EncodeOptions no_specials() {
  EncodeOptions o;
  o.add_special_tokens = false;
  return o;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(WordPieceTokenizer, BasicEncodeOfATinyVocab) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  const Encoding e = t.encode("The cats sat.");
  EXPECT_EQ(e.tokens,
            (std::vector<std::string>{"[CLS]", "the", "cat", "##s", "sat", ".", "[SEP]"}));
  EXPECT_EQ(e.ids, (std::vector<int64_t>{2, 5, 6, 8, 7, 9, 3}));
  EXPECT_EQ(e.offsets[2], (std::pair<size_t, size_t>{4, 7}));
  EXPECT_EQ(e.offsets[3], (std::pair<size_t, size_t>{7, 8}));
  EXPECT_EQ(t.decode(e.ids), "the cats sat.");
  EXPECT_EQ(t.decode(e.ids, false), "[CLS] the cats sat. [SEP]");
  EXPECT_EQ(t.encode("dog").tokens, (std::vector<std::string>{"[CLS]", "[UNK]", "[SEP]"}));
}

TEST(WordPieceTokenizer, InvalidUtf8BecomesReplacementCharactersThatCleanTextDrops) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  // A lone continuation byte, a truncated 3-byte sequence, an overlong and a surrogate encoding.
  const std::string bad = "the\x80 cat\xE2\x82 sat\xC0\xAF \xED\xA0\x80.";
  const Encoding e = t.encode(bad);
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "the", "cat", "sat", ".", "[SEP]"}));
  EXPECT_EQ(e.offsets[2], (std::pair<size_t, size_t>{5, 8}));
  // Without clean_text the U+FFFD stays and is an unknown word glued to its neighbours.
  NormalizerOptions keep;
  keep.clean_text = false;
  const auto raw = WordPieceTokenizer::from_vocab(tiny_vocab(), keep);
  EXPECT_EQ(raw.encode("a\xFF").tokens, (std::vector<std::string>{"[CLS]", "[UNK]", "[SEP]"}));
}

TEST(WordPieceTokenizer, TruncationAndPadding) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  EncodeOptions o;
  o.max_length = 4;
  EXPECT_EQ(t.encode("the cat sat", o).tokens,
            (std::vector<std::string>{"[CLS]", "the", "cat", "[SEP]"}));
  o.max_length = 8;
  o.padding = Padding::MaxLength;
  const Encoding p = t.encode("the cat", o);
  EXPECT_EQ(p.ids, (std::vector<int64_t>{2, 5, 6, 3, 0, 0, 0, 0}));
  EXPECT_EQ(p.attention_mask, (std::vector<int64_t>{1, 1, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(p.tokens.back(), "[PAD]");
  o.max_length.reset();
  EXPECT_THROW(t.encode("the", o), InputError);
  EncodeOptions keep;
  keep.max_length = 3;
  keep.truncation = Truncation::None;
  EXPECT_EQ(t.encode("the cat sat", keep).ids.size(), 5u);
}

TEST(WordPieceTokenizer, PairsGetTypeIds) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  const Encoding e = t.encode_pair("the cat", "sat");
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"[CLS]", "the", "cat", "[SEP]", "sat", "[SEP]"}));
  EXPECT_EQ(e.type_ids, (std::vector<int64_t>{0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(e.offsets[4], (std::pair<size_t, size_t>{0, 3}));
}

TEST(WordPieceTokenizer, BatchMatchesSingleEncodesAndPadsToTheLongest) {
  const auto vocab = bert_vocab();
  ASSERT_TRUE(fs::exists(vocab));
  const auto t = WordPieceTokenizer::load(vocab);
  auto texts = phrasebank_sentences("Sentences_50Agree.txt");
  ASSERT_FALSE(texts.empty());
  texts.resize(1000);
  finsent::set_num_threads(4);
  EncodeOptions o;
  o.padding = Padding::Longest;
  const auto batch = t.encode_batch(texts, o);
  finsent::set_num_threads(0);
  ASSERT_EQ(batch.size(), texts.size());
  size_t longest = 0;
  for (const auto& text : texts) longest = std::max(longest, t.encode(text).ids.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const Encoding single = t.encode(texts[i]);
    ASSERT_EQ(batch[i].ids.size(), longest);
    EXPECT_TRUE(std::equal(single.ids.begin(), single.ids.end(), batch[i].ids.begin())) << i;
    EXPECT_EQ(batch[i].ids[single.ids.size() < longest ? longest - 1 : 0],
              single.ids.size() < longest ? t.pad_id() : t.cls_id());
  }
}

TEST(WordPieceTokenizer, DecodeSkipsUnknownIdsAndCleansSpacesBeforePunctuation) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  EXPECT_EQ(t.decode({5, 999, -1, 6, 9}), "the cat.");
  EXPECT_EQ(t.decode({8, 5}),
            "##s the");  // a leading "##" piece keeps its prefix, as the reference
  EXPECT_THROW(t.id_to_token(12), InputError);
  EXPECT_EQ(t.id_to_token(6), "cat");
  EXPECT_EQ(t.token_to_id("sat"), 7);
  EXPECT_FALSE(t.token_to_id("dog"));
}

TEST(WordPieceTokenizer, VocabFileQuirks) {
  const auto dir = temp_dir("quirks");
  // CRLF line ends, and "cat" listed twice: the last id wins, the first id decodes to nothing.
  write(dir / "vocab.txt", "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\ncat\r\nthe\r\ncat\r\n");
  const auto t = WordPieceTokenizer::load(dir / "vocab.txt");
  EXPECT_EQ(t.encode("the cat", no_specials()).ids, (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(t.decode({4, 5}), "the");
  EXPECT_EQ(t.vocab_size(), 7u);
  write(dir / "vocab.txt", "[PAD]\n[CLS]\n[SEP]\nthe\n");
  try {
    WordPieceTokenizer::load(dir / "vocab.txt");
    FAIL() << "a vocabulary without [UNK] loaded";
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("[UNK]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(WordPieceTokenizer::load(dir / "missing.txt"), IoError);
  write(dir / "tokenizer.json", "{\"model\": {\"type\": \"BPE\"}}");
  EXPECT_THROW(WordPieceTokenizer::load(dir / "tokenizer.json"), TokenizerError);
  write(dir / "tokenizer.json", "{not json");
  EXPECT_THROW(WordPieceTokenizer::load(dir / "tokenizer.json"), TokenizerError);
  fs::remove_all(dir);
}

TEST(WordPieceTokenizer, SaveThenLoadRoundTripsAndHonoursDoLowerCase) {
  NormalizerOptions cased;
  cased.lowercase = false;
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab(), cased);
  const auto dir = temp_dir("save");
  t.save(dir);
  EXPECT_TRUE(fs::exists(dir / "special_tokens_map.json"));
  const auto back = WordPieceTokenizer::load(dir);
  EXPECT_FALSE(back.normalizer_options().lowercase);
  EXPECT_EQ(back.encode("The cat").tokens,
            (std::vector<std::string>{"[CLS]", "[UNK]", "cat", "[SEP]"}));
  EXPECT_EQ(back.vocab_size(), tiny_vocab().size());
  fs::remove_all(dir);
}

TEST(WordPieceTokenizer, SpecialTokensInTextMatchOnlyVerbatim) {
  const auto t = WordPieceTokenizer::from_vocab(tiny_vocab());
  EXPECT_EQ(t.encode("the[MASK]cat", no_specials()).tokens,
            (std::vector<std::string>{"the", "[MASK]", "cat"}));
  EXPECT_EQ(t.encode("[mask]", no_specials()).tokens,
            (std::vector<std::string>{"[UNK]", "[UNK]", "[UNK]"}));
}

}  // namespace
}  // namespace finsent::text
