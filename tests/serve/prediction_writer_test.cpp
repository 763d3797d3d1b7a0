// `finsent predict` output: JSON lines, the table, chunking in input order.
#include "finsent/serve/prediction_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "fake_backend.hpp"

namespace finsent::serve {
namespace {

using testing::FakeBackend;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(PredictionWriter, JsonLinesInInputOrderAcrossChunks) {
  FakeBackend backend;
  std::ostringstream out;
  PredictionWriter writer(backend, out, {.json = true, .chunk_size = 2});
  const std::vector<std::string> texts{"a", "a b", "a b c", "", "x y"};
  for (const auto& t : texts) writer.add(t);
  writer.flush();
  EXPECT_EQ(writer.written(), 5u);
  EXPECT_EQ(backend.calls(), (std::vector<size_t>{2, 2, 1}));
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 5u);
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto j = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(j["text"], texts[i]);
    const double p_pos = j["probabilities"]["positive"], p_neg = j["probabilities"]["negative"],
                 p_neu = j["probabilities"]["neutral"];
    EXPECT_NEAR(p_pos + p_neg + p_neu, 1.0, 1e-6);
    // The fake's logits are {words, 0, -words}: any word makes "negative" the winner.
    EXPECT_EQ(j["label"], "negative");  // ties (the empty text) go to the first label
    EXPECT_DOUBLE_EQ(j["score"].get<double>(), p_neg);
  }
  EXPECT_EQ(lines[0].rfind(R"({"text":"a","label":"negative","score":)", 0), 0u);
}

TEST(PredictionWriter, TableHasHeaderAndOneRowPerText) {
  FakeBackend backend;
  std::ostringstream out;
  PredictionWriter writer(backend, out, {});
  writer.add("good news");
  writer.flush();
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "label      score   negative neutral positive  text");
  // logits {2, 0, -2}: p(negative) = e^2 / (e^2 + 1 + e^-2)
  EXPECT_EQ(lines[1], "negative   0.8668  0.8668   0.1173  0.0159    good news");
}

TEST(PredictionWriter, TableEscapesControlCharactersInTexts) {
  FakeBackend backend;
  std::ostringstream out;
  PredictionWriter writer(backend, out, {});
  writer.add("good \x1b[31mnews\x07");
  writer.flush();
  const auto lines = lines_of(out.str());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[1].ends_with("  good \\x1b[31mnews\\x07")) << lines[1];
}

TEST(PredictionWriter, NonFiniteLogitsAreAnError) {
  FakeBackend backend;
  std::ostringstream out;
  PredictionWriter writer(backend, out, {.json = true});
  writer.add("nan");
  EXPECT_THROW(writer.flush(), finsent::Error);
  EXPECT_EQ(out.str().find("null"), std::string::npos);
}

TEST(PredictionWriter, InvalidUtf8IsReplacedNotFatal) {
  FakeBackend backend;
  std::ostringstream out;
  PredictionWriter writer(backend, out, {.json = true});
  writer.add("caf\xe9");
  writer.flush();
  const auto j = nlohmann::json::parse(lines_of(out.str()).at(0));
  EXPECT_EQ(j["text"], "caf\xef\xbf\xbd");
}

}  // namespace
}  // namespace finsent::serve
