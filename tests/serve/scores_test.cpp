// Softmax stability and ranking of label scores.
#include "finsent/serve/scores.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "finsent/core/error.hpp"

namespace finsent::serve {
namespace {

TEST(Softmax, MatchesDefinitionAndSumsToOne) {
  const std::vector<float> logits{1.0f, 2.0f, 3.0f};
  const auto p = softmax(logits);
  const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  EXPECT_NEAR(p[0], std::exp(1.0) / z, 1e-7);
  EXPECT_NEAR(p[1], std::exp(2.0) / z, 1e-7);
  EXPECT_NEAR(p[2], std::exp(3.0) / z, 1e-7);
}

TEST(Softmax, StableForHugeLogits) {
  const std::vector<float> logits{1000.0f, 1001.0f, -1000.0f};
  const auto p = softmax(logits);
  for (float v : p) EXPECT_TRUE(std::isfinite(v));
  EXPECT_NEAR(p[0] + p[1] + p[2], 1.0, 1e-6);
  EXPECT_NEAR(p[1], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_EQ(p[2], 0.0f);
}

TEST(RankedScores, HighestFirstWithProbabilities) {
  const std::vector<std::string> labels{"negative", "neutral", "positive"};
  const std::vector<float> logits{0.5f, -1.0f, 2.0f};
  const auto ranked = ranked_scores(labels, logits, false);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].label, "positive");
  EXPECT_EQ(ranked[1].label, "negative");
  EXPECT_EQ(ranked[2].label, "neutral");
  EXPECT_NEAR(ranked[0].score + ranked[1].score + ranked[2].score, 1.0, 1e-6);
}

TEST(RankedScores, RawScoresAreTheLogits) {
  const std::vector<std::string> labels{"a", "b"};
  const std::vector<float> logits{-3.5f, 7.25f};
  const auto ranked = ranked_scores(labels, logits, true);
  EXPECT_EQ(ranked[0].label, "b");
  EXPECT_EQ(ranked[0].score, 7.25f);
  EXPECT_EQ(ranked[1].score, -3.5f);
}

TEST(RankedScores, TiesKeepLabelOrder) {
  const std::vector<std::string> labels{"x", "y", "z"};
  const std::vector<float> logits{1.0f, 1.0f, 1.0f};
  const auto ranked = ranked_scores(labels, logits, false);
  EXPECT_EQ(ranked[0].label, "x");
  EXPECT_EQ(ranked[2].label, "z");
}

TEST(RankedScores, RejectsSizeMismatch) {
  const std::vector<std::string> labels{"x"};
  const std::vector<float> logits{1.0f, 2.0f};
  EXPECT_THROW(ranked_scores(labels, logits, false), std::logic_error);
}

}  // namespace
}  // namespace finsent::serve

namespace finsent::serve {
namespace {

TEST(Scores, NonFiniteLogitsAreRefusedNotTurnedIntoNull) {
  const std::vector<std::string> labels{"a", "b"};
  for (const float bad : {std::nanf(""), std::numeric_limits<float>::infinity(),
                          -std::numeric_limits<float>::infinity()}) {
    const std::vector<float> logits{0.5f, bad};
    EXPECT_THROW(softmax(logits), finsent::Error);
    EXPECT_THROW(ranked_scores(labels, logits, false), finsent::Error);
    EXPECT_THROW(ranked_scores(labels, logits, true), finsent::Error);
  }
  try {
    softmax(std::vector<float>{1.0f, std::nanf("")});
    FAIL() << "no error";
  } catch (const finsent::Error& e) {
    EXPECT_NE(std::string(e.what()).find("non-finite logit (nan) for label 1"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace finsent::serve
