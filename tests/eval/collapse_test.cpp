// find_collapse: one predicted class for a whole split, read off the confusion matrix.
#include <gtest/gtest.h>

#include "finsent/eval/collapse.hpp"

namespace finsent::eval {
namespace {

const std::vector<std::string> kLabels = {"negative", "neutral", "positive"};

std::optional<PredictionCollapse> collapse_of(const std::vector<int>& y_true,
                                              const std::vector<int>& y_pred) {
  return find_collapse(classification_report(y_true, y_pred, kLabels));
}

TEST(Collapse, MajorityClassEverywhere) {
  // The frozen MiniLM run in small: "neutral" for every sentence.
  const auto c = collapse_of({1, 1, 1, 0, 2, 0}, {1, 1, 1, 1, 1, 1});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->label, "neutral");
  EXPECT_EQ(c->examples, 6);
  EXPECT_DOUBLE_EQ(c->true_share, 0.5);
  EXPECT_TRUE(c->majority);
  EXPECT_EQ(c->majority_label, "neutral");
  EXPECT_EQ(to_json(*c), (nlohmann::json{{"label", "neutral"},
                                         {"examples", 6},
                                         {"true_share", 0.5},
                                         {"majority", true},
                                         {"majority_label", "neutral"}}));
}

TEST(Collapse, MinorityOrAbsentClassEverywhere) {
  const auto c = collapse_of({1, 1, 1, 0, 2, 0}, {2, 2, 2, 2, 2, 2});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->label, "positive");
  EXPECT_NEAR(c->true_share, 1.0 / 6.0, 1e-15);
  EXPECT_FALSE(c->majority);
  EXPECT_EQ(c->majority_label, "neutral");
  const auto absent = collapse_of({1, 1, 2}, {0, 0, 0});
  ASSERT_TRUE(absent.has_value());
  EXPECT_DOUBLE_EQ(absent->true_share, 0.0);
  // A tie for the most frequent true label counts as the majority.
  EXPECT_TRUE(collapse_of({0, 1, 1, 0}, {0, 0, 0, 0})->majority);
}

TEST(Collapse, NotACollapse) {
  EXPECT_FALSE(collapse_of({1, 1, 1, 0}, {1, 1, 0, 0}).has_value());  // two classes predicted
  EXPECT_FALSE(collapse_of({1, 1, 1}, {1, 1, 1}).has_value());        // all right: one true class
  EXPECT_FALSE(collapse_of({0}, {1}).has_value());                    // one example says nothing
}

}  // namespace
}  // namespace finsent::eval
