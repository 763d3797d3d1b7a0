// prepare_data: class balance of a split, the training split's label encoding, the test set.
#include <gtest/gtest.h>

#include "finsent/pipeline/prepare_data.hpp"

namespace finsent::pipeline {
namespace {

data::Split small_split() {
  data::Split s;
  s.train = {
      {"a", "neutral"}, {"b", "positive"}, {"c", "neutral"}, {"d", "negative"}, {"e", "positive"}};
  s.test = {{"f", "neutral"}, {"g", "positive"}, {"h", "positive"}, {"i", "other"}};
  return s;
}

TEST(ClassBalance, CountsEveryPartInTheSortedLabelOrder) {
  const ClassBalance b = class_balance(small_split());
  EXPECT_EQ(b.labels, (std::vector<std::string>{"negative", "neutral", "other", "positive"}));
  EXPECT_EQ(b.all, (std::vector<int64_t>{1, 3, 1, 4}));
  EXPECT_EQ(b.train, (std::vector<int64_t>{1, 2, 0, 2}));
  EXPECT_EQ(b.test, (std::vector<int64_t>{0, 1, 1, 2}));
  EXPECT_EQ(b.rows, 9u);
  EXPECT_EQ(b.train_rows, 5u);
  EXPECT_EQ(b.test_rows, 4u);
  // neutral and positive tie in train: the first in label order is the majority class.
  EXPECT_EQ(b.labels[b.majority], "neutral");
  EXPECT_DOUBLE_EQ(b.majority_accuracy, 0.25);
}

TEST(ClassBalance, AnEmptyTestSplitScoresZero) {
  data::Split s = small_split();
  s.test.clear();
  const ClassBalance b = class_balance(s);
  EXPECT_EQ(b.test_rows, 0u);
  EXPECT_EQ(b.majority_accuracy, 0.0);
  EXPECT_EQ(b.labels, (std::vector<std::string>{"negative", "neutral", "positive"}));
}

TEST(TrainingSet, LabelsAreTheTrainingSplitsClassesSorted) {
  const TrainingSet t = training_set(small_split());
  EXPECT_EQ(t.encoder.labels(), (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(t.texts.texts, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(t.texts.labels, (std::vector<int>{1, 2, 1, 0, 2}));
}

TEST(TestSet, TextsAndGoldLabelsInSplitOrder) {
  const TestSet t = test_set(small_split());
  EXPECT_EQ(t.texts, (std::vector<std::string>{"f", "g", "h", "i"}));
  EXPECT_EQ(t.gold, (std::vector<std::string>{"neutral", "positive", "positive", "other"}));
}

}  // namespace
}  // namespace finsent::pipeline
