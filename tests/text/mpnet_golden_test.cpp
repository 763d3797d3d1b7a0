// The real all-mpnet-base-v2 tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece,
// RobertaProcessing, its own truncation 128 and Fixed(128) padding sections) against Hugging Face
// tokenizers: every PhraseBank sentence, the adversarial texts and pairs. The committed file
// leaves out its vocabulary, rebuilt here from bert-base-uncased's vocab.txt
// (tests/fixtures/text/mpnet, tools/make_mpnet_fixtures.py).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "digest_test_support.hpp"
#include "finsent/text/tokenizer.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;

fs::path mpnet_fixture() {
  return fs::path(FINSENT_FIXTURES_DIR) / "text" / "mpnet";
}

// The model directory: tokenizer.json with "vocab_from" ({prepend, bert_base_uncased, append})
// replaced by the vocabulary it names, and the fixture's tokenizer_config.json.
fs::path materialize() {
  const fs::path dir =
      fs::temp_directory_path() /
      ("finsent_mpnet_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  json doc = json::parse(read_bytes(mpnet_fixture() / "tokenizer.json"));
  json& model = doc["model"];
  const json from = model["vocab_from"];
  std::vector<std::string> tokens = from["prepend"].get<std::vector<std::string>>();
  EXPECT_TRUE(from["bert_base_uncased"].get<bool>());
  std::ifstream in(bert_vocab());
  for (std::string line; std::getline(in, line);) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    tokens.push_back(line);
  }
  for (const auto& t : from["append"]) tokens.push_back(t.get<std::string>());
  json vocab = json::object();
  for (size_t i = 0; i < tokens.size(); ++i) vocab[tokens[i]] = i;
  EXPECT_EQ(vocab.size(), tokens.size()) << "duplicate tokens in the rebuilt vocabulary";
  model.erase("vocab_from");
  model["vocab"] = vocab;
  std::ofstream(dir / "tokenizer.json", std::ios::binary) << doc.dump();
  std::ofstream(dir / "tokenizer_config.json", std::ios::binary)
      << read_bytes(mpnet_fixture() / "tokenizer_config.json");
  return dir;
}

TEST(MpnetGolden, TheRealTokenizerJsonMatchesTokenizersWithItsOwnSections) {
  const fs::path dir = materialize();
  const auto tok = load_tokenizer(dir);
  ASSERT_EQ(tok->vocab_size(), 30527u);
  // The file's sections, as tokenizers.Tokenizer.from_file applies them.
  const EncodeOptions file = tok->file_options();
  ASSERT_EQ(file.max_length, std::optional<size_t>(128));
  ASSERT_EQ(file.padding, Padding::MaxLength);
  check_digests(*tok, single_cases(phrasebank_sentences("Sentences_50Agree.txt"), file),
                mpnet_fixture() / "phrasebank50_digests.txt", "mpnet PhraseBank");
  std::vector<std::string> texts = adversarial_texts();
  for (std::string t : {"<mask>", " <mask>", "a <mask> b", "a<mask>b", "<unk>", "<UNK>", "[UNK]",
                        "<s>x</s>", "<pad><pad>", "hello </s> world"})
    texts.push_back(t);
  texts.push_back(std::string(600, 'x'));
  std::string words;
  for (int i = 0; i < 200; ++i) words += i ? " word" : "word";
  texts.push_back(words);
  check_digests(*tok, single_cases(texts, file), mpnet_fixture() / "adversarial_digests.txt",
                "mpnet adversarial");
  check_digests(*tok, pair_cases(file), mpnet_fixture() / "pair_digests.txt", "mpnet pairs");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace finsent::text
