// Parsing of TEI-shaped /predict bodies and the status code of each refusal.
#include "finsent/serve/predict_request.hpp"

#include <gtest/gtest.h>

#include "finsent/serve/api_error.hpp"

namespace finsent::serve {
namespace {

int status_of(const std::string& body, const RequestLimits& limits = {}) {
  try {
    parse_predict_request(body, limits);
  } catch (const ApiError& e) {
    return e.status();
  }
  return 200;
}

std::string type_of(const std::string& body) {
  try {
    parse_predict_request(body, {});
  } catch (const ApiError& e) {
    return e.error_type();
  }
  return "";
}

TEST(PredictRequest, SingleText) {
  const auto r = parse_predict_request(R"({"inputs": "Profit rose."})", {});
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_FALSE(r.batch);
  EXPECT_EQ(r.inputs[0].text, "Profit rose.");
  EXPECT_FALSE(r.inputs[0].pair);
  EXPECT_FALSE(r.raw_scores);
  EXPECT_TRUE(r.truncate);
}

TEST(PredictRequest, TwoStringsAreOnePair) {
  const auto r = parse_predict_request(R"({"inputs": ["a b", "c"], "raw_scores": true})", {});
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_FALSE(r.batch);
  EXPECT_EQ(r.inputs[0].text, "a b");
  EXPECT_EQ(r.inputs[0].pair, "c");
  EXPECT_TRUE(r.raw_scores);
}

TEST(PredictRequest, ListOfListsIsABatch) {
  const auto r = parse_predict_request(
      R"({"inputs": [["one"], ["two", "pair"], "three"], "truncate": false})", {});
  ASSERT_EQ(r.inputs.size(), 3u);
  EXPECT_TRUE(r.batch);
  EXPECT_FALSE(r.truncate);
  EXPECT_EQ(r.inputs[1].pair, "pair");
  EXPECT_FALSE(r.inputs[2].pair);
}

TEST(PredictRequest, MalformedJsonIs400) {
  EXPECT_EQ(status_of(R"({"inputs": )"), 400);
  EXPECT_EQ(status_of(""), 400);
  EXPECT_EQ(status_of("\xff\xfe"), 400);
  EXPECT_EQ(status_of(R"({"inputs": "a", "n": 77777e785})"), 400);  // number overflow
}

TEST(PredictRequest, ShapeErrorsAre422) {
  EXPECT_EQ(status_of(R"({"text": "x"})"), 422);
  EXPECT_EQ(status_of(R"([1, 2])"), 422);
  EXPECT_EQ(status_of(R"({"inputs": 5})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": null})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": ["a", "b", "c"]})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": ["a", 3]})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": [[]]})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": [["a"], 7]})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": "a", "raw_scores": "yes"})"), 422);
  EXPECT_EQ(status_of(R"({"inputs": "a", "truncate": 1})"), 422);
  EXPECT_EQ(type_of(R"({"inputs": 5})"), "validation");
}

TEST(PredictRequest, EmptyInputListIs422Empty) {
  EXPECT_EQ(status_of(R"({"inputs": []})"), 422);
  EXPECT_EQ(type_of(R"({"inputs": []})"), "empty");
}

TEST(PredictRequest, ClientBatchLimit) {
  RequestLimits limits;
  limits.max_client_batch_size = 2;
  EXPECT_EQ(status_of(R"({"inputs": [["a"], ["b"]]})", limits), 200);
  EXPECT_EQ(status_of(R"({"inputs": [["a"], ["b"], ["c"]]})", limits), 422);
}

TEST(PredictRequest, InputCharLimitCountsCodePoints) {
  RequestLimits limits;
  limits.max_input_chars = 3;
  EXPECT_EQ(status_of(R"({"inputs": "\u00e9\u00e9\u00e9"})", limits), 200);  // 6 bytes, 3 chars
  EXPECT_EQ(status_of(R"({"inputs": "abcd"})", limits), 413);
  EXPECT_EQ(status_of(R"({"inputs": ["ab", "cd"]})", limits), 413);  // a pair counts both
  EXPECT_EQ(status_of(R"({"inputs": [["a"], ["abcd"]]})", limits), 413);
}

TEST(PredictRequest, CountCodePoints) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("\xe2\x82\xac"), 1u);  // the euro sign
}

}  // namespace
}  // namespace finsent::serve
