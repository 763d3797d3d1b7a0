// The split reproduces the notebook's order for all four PhraseBank files, and the options behave.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "common/test_data.hpp"
#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"
#include "finsent/data/split.hpp"

namespace finsent::data {
namespace {

// Example texts tagged with their source line so the split order can be compared to Python's.
std::vector<Example> tagged(const std::string& name) {
  const auto bytes = testing::read_text(testing::phrasebank_file(name));
  auto rows = parse_phrasebank(bytes, name);
  for (size_t i = 0; i < rows.size(); ++i)
    rows[i].text = std::to_string(i + 1);  // all lines non-blank
  return rows;
}

TEST(Split, ReproducesNotebookOrderForAllFourFiles) {
  const auto ref = nlohmann::json::parse(
      testing::read_text(testing::fixture("data/phrasebank_reference.json")))["files"];
  for (const auto& [name, expected] : ref.items()) {
    auto rows = tagged(name);
    ASSERT_EQ(rows.size(), expected["rows"].get<size_t>()) << name;
    auto split = split_train_test(rows, {});
    ASSERT_EQ(split.train.size(), expected["train_rows"].get<size_t>()) << name;
    std::vector<size_t> order;
    for (const auto* part : {&split.train, &split.test}) {
      for (const auto& e : *part) order.push_back(std::stoul(e.text));
    }
    EXPECT_EQ(order, expected["line_order"].get<std::vector<size_t>>()) << name;
  }
}

TEST(Split, Sentences75AgreeHasTheIssuesCounts) {
  auto split = split_train_test(tagged("Sentences_75Agree.txt"), {});
  EXPECT_EQ(split.train.size(), 2935u);
  EXPECT_EQ(split.test.size(), 518u);
  std::map<std::string, int> test_counts;
  for (const auto& e : split.test) ++test_counts[e.label];
  EXPECT_EQ(test_counts["negative"], 72);
  EXPECT_EQ(test_counts["neutral"], 309);
  EXPECT_EQ(test_counts["positive"], 137);
}

std::vector<Example> synthetic(int n) {
  std::vector<Example> rows;
  for (int i = 0; i < n; ++i) rows.push_back({std::to_string(i), i % 4 == 0 ? "a" : "b"});
  return rows;
}

TEST(Split, SeedChangesOrderRatioChangesSize) {
  auto a = split_train_test(synthetic(100), {.seed = 0});
  auto b = split_train_test(synthetic(100), {.seed = 1});
  EXPECT_NE(a.train.front().text + a.train.back().text, b.train.front().text + b.train.back().text);
  EXPECT_EQ(split_train_test(synthetic(100), {.test_ratio = 0.3}).train.size(), 70u);
  EXPECT_EQ(split_train_test(synthetic(100), {.test_ratio = 0.0}).test.size(), 0u);
  // Python: int(10 * (1 - 0.9)) == 0 and int(60 * (1 - 0.55)) == 26 (float rounding, kept).
  EXPECT_EQ(split_train_test(synthetic(10), {.test_ratio = 0.9}).train.size(), 0u);
  EXPECT_EQ(split_train_test(synthetic(60), {.test_ratio = 0.55}).train.size(), 26u);
}

TEST(Split, StratifiedKeepsClassSharesAndEveryRow) {
  auto s = split_train_test(synthetic(100), {.stratified = true});
  int a_test = 0;
  for (const auto& e : s.test) a_test += e.label == "a";
  EXPECT_EQ(s.train.size() + s.test.size(), 100u);
  EXPECT_EQ(a_test, 4);           // 25 "a" rows: int(25 * 0.85) = 21 train, 4 test
  EXPECT_EQ(s.test.size(), 16u);  // b: 75 rows, 63 train, 12 test
}

TEST(Split, RejectsRatioOutsideRange) {
  EXPECT_THROW(split_train_test(synthetic(10), {.test_ratio = 1.0}), InputError);
  EXPECT_THROW(split_train_test(synthetic(10), {.test_ratio = -0.1}), InputError);
}

}  // namespace
}  // namespace finsent::data
