// tokenizer.json's truncation and padding sections against the reference, two ways: what
// tokenizers.Tokenizer.from_file(...).encode applies (Tokenizer::file_options(): stride,
// overflowing windows, Fixed / BatchLongest padding with the section's pad token), and what a
// Transformers user gets from tokenizer(text, truncation=True, max_length=N) (default_options():
// the sections give only the sides). Fixture: tools/make_bpe_tokenizer_fixtures.py sections.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/text/tokenizer.hpp"
#include "tokenizer_test_support.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
using namespace finsent::text::testing;
namespace fs = std::filesystem;

json read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return json::parse(in);
}

// A directory with the row's tokenizer: the fixture's tokenizer.json with the row's sections
// replaced, and its tokenizer_config.json (plus the row's additions).
fs::path materialize(const json& row, size_t index) {
  const fs::path dir = fs::temp_directory_path() /
                       ("finsent_sections_" + std::to_string(index) + "_" +
                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path src = fixture(row["model"].get<std::string>());
  const bool is_dir = fs::is_directory(src);
  json doc = read_json(is_dir ? src / "tokenizer.json" : src);
  for (const auto& [key, value] : row["replace"].items()) doc[key] = value;
  json config = is_dir
                    ? read_json(src / "tokenizer_config.json")
                    : json{{"tokenizer_class", "PreTrainedTokenizerFast"}, {"pad_token", "[PAD]"}};
  const json extra = row.value("config", json::object());
  for (const auto& [key, value] : extra.items()) config[key] = value;
  std::ofstream(dir / "tokenizer.json", std::ios::binary) << doc.dump();
  std::ofstream(dir / "tokenizer_config.json", std::ios::binary) << config.dump();
  return dir;
}

std::vector<Encoding> run(const Tokenizer& t, const json& inputs, const EncodeOptions& options) {
  const std::string kind = inputs[0];
  if (kind == "batch") return t.encode_batch(inputs[1].get<std::vector<std::string>>(), options);
  if (kind == "pair")
    return {t.encode_pair(inputs[1].get<std::string>(), inputs[2].get<std::string>(), options)};
  return {t.encode(inputs[1].get<std::string>(), options)};
}

// Every field the reference recorded, the overflowing windows recursively.
void expect_same(const Encoding& e, const json& want, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(json(e.ids), want["ids"]);
  EXPECT_EQ(json(e.type_ids), want["type_ids"]);
  EXPECT_EQ(json(e.attention_mask), want["attention_mask"]);
  if (!want.contains("tokens")) return;  // a Transformers row: ids, type ids and mask
  EXPECT_EQ(json(e.tokens), want["tokens"]);
  EXPECT_EQ(offsets_json(e), want["offsets"]);
  EXPECT_EQ(json(e.special_tokens_mask), want["special_tokens_mask"]);
  ASSERT_EQ(e.overflowing.size(), want["overflowing"].size());
  for (size_t i = 0; i < e.overflowing.size(); ++i)
    expect_same(e.overflowing[i], want["overflowing"][i],
                where + ".overflowing[" + std::to_string(i) + "]");
}

TEST(EncodeSections, TokenizersAndTransformersCallsMatchTheReference) {
  const auto rows = read_jsonl(fixture("sections.jsonl"));
  ASSERT_GE(rows.size(), 100u);
  size_t overflowing = 0, errors = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    SCOPED_TRACE("row " + std::to_string(i) + ": " + row["model"].get<std::string>() + " " +
                 row["api"].get<std::string>() + " " + row["replace"].dump().substr(0, 200) + " " +
                 row.value("call", json()).dump());
    const fs::path dir = materialize(row, i);
    const auto tokenizer = load_tokenizer(dir);
    EncodeOptions options;
    if (row["api"] == "tokenizers") {
      options = tokenizer->file_options();
    } else {
      options = tokenizer->default_options();
      const json call = row["call"];
      if (call.value("truncation", false)) options.max_length = call["max_length"].get<size_t>();
      if (call.value("padding", false)) options.padding = Padding::Longest;
    }
    if (row.contains("error")) {
      EXPECT_THROW(run(*tokenizer, row["inputs"], options), InputError);
      ++errors;
    } else {
      const auto got = run(*tokenizer, row["inputs"], options);
      ASSERT_EQ(got.size(), row["encodings"].size());
      for (size_t k = 0; k < got.size(); ++k) {
        expect_same(got[k], row["encodings"][k], "encoding " + std::to_string(k));
        overflowing += got[k].overflowing.size();
      }
    }
    fs::remove_all(dir);
  }
  EXPECT_GT(overflowing, 100u);  // the fixture exercises the windows
  EXPECT_GE(errors, 10u);
}

TEST(EncodeSections, MalformedSectionsAreTokenizerErrorsNamingTheField) {
  const json base = read_json(fixture("bpe/roberta/tokenizer.json"));
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"truncation", {{"max_length", 5}, {"stride", 0}}}}, "truncation has no strategy"},
      {{{"truncation", {{"max_length", -1}, {"strategy", "LongestFirst"}, {"stride", 0}}}},
       "truncation.max_length is negative"},
      {{{"truncation", {{"max_length", 5}, {"strategy", "Longest"}, {"stride", 0}}}},
       "truncation.strategy is Longest"},
      {{{"truncation",
         {{"max_length", 5}, {"strategy", "OnlyFirst"}, {"stride", 0}, {"direction", "left"}}}},
       "truncation.direction is left"},
      {{{"padding", {{"strategy", "BatchLongest"}}}}, "padding has no direction"},
      {{{"padding",
         {{"strategy", {{"Fixed", "x"}}},
          {"direction", "Right"},
          {"pad_id", 0},
          {"pad_type_id", 0},
          {"pad_token", "<pad>"}}}},
       "padding.strategy.Fixed has the wrong type"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    json doc = base;
    for (const auto& [key, value] : cases[i].first.items()) doc[key] = value;
    const fs::path dir = fs::temp_directory_path() /
                         ("finsent_bad_sections_" + std::to_string(i) + "_" +
                          std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    fs::create_directories(dir);
    std::ofstream(dir / "tokenizer.json", std::ios::binary) << doc.dump();
    try {
      load_tokenizer(dir);
      ADD_FAILURE() << "loaded " << cases[i].first.dump();
    } catch (const TokenizerError& e) {
      EXPECT_NE(std::string(e.what()).find(cases[i].second), std::string::npos) << e.what();
    }
    fs::remove_all(dir);
  }
}

TEST(EncodeSections, ExplicitMaxLengthWinsOverTheFileAndStrideMustFit) {
  json doc = read_json(fixture("bpe/roberta/tokenizer.json"));
  doc["truncation"] = {
      {"max_length", 6}, {"strategy", "LongestFirst"}, {"stride", 0}, {"direction", "Left"}};
  const fs::path dir = fs::temp_directory_path() /
                       ("finsent_sections_explicit_" +
                        std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  fs::create_directories(dir);
  std::ofstream(dir / "tokenizer.json", std::ios::binary) << doc.dump();
  const auto t = load_tokenizer(dir);
  const std::string text = "Sales fell by 5 % in the quarter , the company said .";
  EXPECT_GT(t->encode(text, t->default_options()).size(), 6u);  // no truncation unless asked
  EncodeOptions o = t->default_options();
  o.max_length = 8;
  const Encoding e = t->encode(text, o);
  EXPECT_EQ(e.size(), 8u);
  EXPECT_EQ(e.ids, t->encode(text,
                             [&] {
                               EncodeOptions left;
                               left.max_length = 8;
                               left.truncation_side = Side::Left;
                               return left;
                             }())
                       .ids);  // the file's direction is Transformers' truncation_side
  EXPECT_EQ(t->file_options().max_length, std::optional<size_t>(6));
  o.stride = 6;  // not below 8 - 2 special tokens
  o.return_overflowing = true;
  EXPECT_THROW(t->encode(text, o), InputError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace finsent::text
