// The .model -> tokenizer.json conversion against what Transformers' converters saved, and the
// ModelProto reader's errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "precompiled_charsmap.hpp"
#include "sentencepiece_convert.hpp"
#include "sentencepiece_model.hpp"
#include "sentencepiece_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using testing::sentencepiece_dir;

// The fixture tokenizer.json with the charsmap put back where the generator took it out.
json reference_json(const std::string& name, const std::string& charsmap) {
  json doc = json::parse(testing::read_bytes(sentencepiece_dir() / name / "tokenizer.json"));
  const PrecompiledCharsmap probe(charsmap);  // the blob is well-formed
  for (auto& n : doc["normalizer"]["normalizers"]) {
    if (n["type"] == "Precompiled") {
      n.erase("precompiled_charsmap_from");
      n["precompiled_charsmap"] = nullptr;  // compared separately below
    }
  }
  return doc;
}

class SentencePieceConvert : public ::testing::TestWithParam<const char*> {};

TEST_P(SentencePieceConvert, BuildsTheConvertersTokenizerJson) {
  const std::string name = GetParam();
  const std::string bytes =
      testing::sentencepiece_model_bytes(name, testing::sentencepiece_file(name));
  const SentencePieceModel model = parse_sentencepiece_model(bytes, name);
  const std::string charsmap = testing::read_bytes(sentencepiece_dir() / "nmt_nfkc.charsmap");
  EXPECT_EQ(model.precompiled_charsmap, charsmap);
  const json config =
      json::parse(testing::read_bytes(sentencepiece_dir() / name / "tokenizer_config.json"));
  json got = sentencepiece_tokenizer_json(model, config, name);
  bool found = false;
  for (auto& n : got["normalizer"]["normalizers"]) {
    if (n["type"] == "Precompiled") {
      const auto decoded =
          PrecompiledCharsmap::from_base64(n["precompiled_charsmap"].get<std::string>());
      EXPECT_EQ(decoded.blob(), charsmap);
      n["precompiled_charsmap"] = nullptr;
      found = true;
    }
  }
  EXPECT_TRUE(found);
  const json want = reference_json(name, charsmap);
  for (const char* key : {"added_tokens", "normalizer", "pre_tokenizer", "post_processor",
                          "decoder", "truncation", "padding"}) {
    EXPECT_EQ(got[key], want[key])
        << name << " " << key << "\n got: " << got[key].dump() << "\nwant: " << want[key].dump();
  }
  EXPECT_EQ(got["model"]["unk_id"], want["model"]["unk_id"]);
  EXPECT_EQ(got["model"]["byte_fallback"], want["model"]["byte_fallback"]);
  ASSERT_EQ(got["model"]["vocab"].size(), want["model"]["vocab"].size());
  for (size_t i = 0; i < got["model"]["vocab"].size(); ++i) {
    ASSERT_EQ(got["model"]["vocab"][i][0], want["model"]["vocab"][i][0]) << i;
    ASSERT_EQ(got["model"]["vocab"][i][1].get<double>(), want["model"]["vocab"][i][1].get<double>())
        << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Models, SentencePieceConvert,
                         ::testing::ValuesIn(testing::kSentencePieceModels));

TEST(SentencePieceModelFile, MalformedBytesAreTokenizerErrors) {
  EXPECT_THROW(parse_sentencepiece_model("", "x.model"), TokenizerError);  // no pieces
  EXPECT_THROW(parse_sentencepiece_model("\x0a\x05\x0a\x01", "x.model"), TokenizerError);
  // pieces { piece: "a" score: wire type varint } -> wrong wire type
  EXPECT_THROW(parse_sentencepiece_model(std::string("\x0a\x05\x0a\x01"
                                                     "a\x10\x01",
                                                     7),
                                         "x.model"),
               TokenizerError);
  // one piece, trainer_spec { unk_id: 5 }
  const std::string one_piece(
      "\x0a\x08\x0a\x01"
      "a\x15\x00\x00\x80\xbf",
      10);
  EXPECT_THROW(parse_sentencepiece_model(one_piece + std::string("\x12\x02\xc0\x02\x05", 5), "x"),
               TokenizerError);
  const auto m = parse_sentencepiece_model(one_piece, "x.model");
  ASSERT_EQ(m.pieces.size(), 1u);
  EXPECT_EQ(m.pieces[0].piece, "a");
  EXPECT_EQ(m.pieces[0].score, -1.0f);
  try {
    parse_sentencepiece_model("garbage\xff", "dir/spm.model");
    FAIL();
  } catch (const TokenizerError& e) {
    EXPECT_NE(std::string(e.what()).find("dir/spm.model"), std::string::npos) << e.what();
  }
}

TEST(SentencePieceModelFile, UnknownTokenizerClassIsAnError) {
  const std::string bytes = testing::sentencepiece_model_bytes("albert", "spiece.model");
  const auto model = parse_sentencepiece_model(bytes, "albert");
  EXPECT_THROW(sentencepiece_tokenizer_json(model, {{"tokenizer_class", "T5Tokenizer"}}, "x"),
               TokenizerError);
}

}  // namespace
}  // namespace finsent::text
