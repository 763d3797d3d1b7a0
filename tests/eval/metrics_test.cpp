// Metrics and the printed report equal scikit-learn's (values recorded from sklearn 1.9); the
// label-set cases are in sklearn_label_sets_test.cpp.
#include <gtest/gtest.h>

#include <chrono>

#include "finsent/core/error.hpp"
#include "finsent/eval/metrics.hpp"

namespace finsent::eval {
namespace {

const std::vector<std::string> kLabels{"negative", "neutral", "positive"};
const std::vector<int> kTrue{0, 0, 1, 1, 1, 2, 2, 0, 1, 1};
const std::vector<int> kPred{0, 1, 1, 1, 0, 1, 1, 0, 1, 1};

TEST(Metrics, MatchScikitLearn) {
  auto r = classification_report(kTrue, kPred, kLabels);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.6);
  EXPECT_NEAR(r.per_class[0].precision, 2.0 / 3, 1e-15);
  EXPECT_NEAR(r.per_class[1].precision, 4.0 / 7, 1e-15);
  EXPECT_NEAR(r.per_class[1].recall, 0.8, 1e-15);
  EXPECT_NEAR(r.per_class[1].f1, 2.0 / 3, 1e-15);
  EXPECT_EQ(r.per_class[2].support, 2);
  EXPECT_NEAR(r.macro_avg.precision, 0.41269841269841273, 1e-15);
  EXPECT_NEAR(r.macro_avg.recall, 0.48888888888888893, 1e-15);
  EXPECT_NEAR(r.macro_avg.f1, 0.4444444444444444, 1e-15);
  EXPECT_NEAR(r.weighted_avg.precision, 0.48571428571428565, 1e-15);
  EXPECT_NEAR(r.weighted_avg.f1, 0.5333333333333333, 1e-15);
  EXPECT_EQ(r.confusion_matrix,
            (std::vector<std::vector<int64_t>>{{2, 1, 0}, {1, 4, 0}, {0, 2, 0}}));
}

TEST(Metrics, ZeroDivisionIsZeroWithANote) {
  auto r = classification_report(kTrue, kPred, kLabels);
  EXPECT_EQ(r.per_class[2].precision, 0.0);
  EXPECT_EQ(r.per_class[2].f1, 0.0);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("no predicted samples: positive"), std::string::npos);
}

TEST(Metrics, LabelInNeitherTrueNorPredictedIsNotReported) {
  // sklearn (labels=None): classification_report([0, 1], [0, 0]) reports labels 0 and 1 only and
  // warns for precision of label 1; the macro average runs over those two.
  auto r = classification_report({0, 1}, {0, 0}, kLabels);
  EXPECT_EQ(r.labels, (std::vector<std::string>{"negative", "neutral"}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("no predicted samples: neutral"), std::string::npos);
  EXPECT_NEAR(r.per_class[0].f1, 2.0 / 3, 1e-15);
  EXPECT_NEAR(r.macro_avg.f1, 1.0 / 3, 1e-15);
  EXPECT_EQ(r.confusion_matrix, (std::vector<std::vector<int64_t>>{{1, 0}, {1, 0}}));
}

TEST(Metrics, ReportTextMatchesSklearnLayout) {
  const std::string expected =
      "              precision    recall  f1-score   support\n"
      "\n"
      "    negative     0.6667    0.6667    0.6667         3\n"
      "     neutral     0.5714    0.8000    0.6667         5\n"
      "    positive     0.0000    0.0000    0.0000         2\n"
      "\n"
      "    accuracy                         0.6000        10\n"
      "   macro avg     0.4127    0.4889    0.4444        10\n"
      "weighted avg     0.4857    0.6000    0.5333        10\n";
  EXPECT_EQ(format_report(classification_report(kTrue, kPred, kLabels)).substr(0, expected.size()),
            expected);
}

TEST(Metrics, JsonShape) {
  auto j = to_json(classification_report(kTrue, kPred, kLabels));
  EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), 0.6);
  EXPECT_EQ(j["per_class"]["neutral"]["support"].get<int>(), 5);
  EXPECT_NEAR(j["macro_f1"].get<double>(), 0.4444444444444444, 1e-15);
  EXPECT_EQ(j["labels"].size(), 3u);
  EXPECT_EQ(j["confusion_matrix"][2][1].get<int>(), 2);
}

TEST(Metrics, BadInputIsAnError) {
  EXPECT_THROW(classification_report({0}, {0, 1}, kLabels), InputError);
  EXPECT_THROW(classification_report({}, {}, kLabels), InputError);
  EXPECT_THROW(classification_report({3}, {0}, kLabels), InputError);
}

TEST(Metrics, ManyLabelsStayLinearAndSparse) {
  // 10,000 labels, 20,000 samples: the dense matrix would be 100 million cells (800 MB).
  const int k = 10000;
  std::vector<std::string> labels;
  for (int i = 0; i < k; ++i) {
    // Appended, not "c" + to_string: GCC 12 warns a false -Wrestrict on that operator+.
    labels.emplace_back("c");
    labels.back() += std::to_string(i);
  }
  std::vector<int> y_true, y_pred;
  for (int i = 0; i < 2 * k; ++i) {
    y_true.push_back(i % k);
    y_pred.push_back(i % 3 == 0 ? (i + 1) % k : i % k);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto r = classification_report(y_true, y_pred, labels);
  const std::string json = to_json(r).dump();
  const std::string text = format_report(r);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  EXPECT_TRUE(r.confusion_matrix.empty());
  int64_t total = 0;
  for (const auto& c : r.confusion_entries) total += c.count;
  EXPECT_EQ(total, 2 * k);
  const auto doc = nlohmann::json::parse(json);
  EXPECT_TRUE(doc.at("confusion_matrix").is_null());
  EXPECT_EQ(doc.at("confusion_matrix_sparse").size(), r.confusion_entries.size());
  EXPECT_LT(json.size(), 4u * 1024 * 1024);
  EXPECT_LT(text.size(), 1024u * 1024);
  EXPECT_NE(text.find("confusion matrix: not printed for 10000 labels (more than 30); the JSON "
                      "output has it as confusion_matrix_sparse. Most frequent confusions (20 of "),
            std::string::npos);
  // Notes name a few labels and count the rest.
  for (const auto& note : r.notes) EXPECT_LT(note.size(), 400u) << note;
  // The same counts as the dense matrix where that is kept.
  const auto small = classification_report({0, 1, 2, 2, 1}, {0, 2, 2, 1, 1}, {"a", "b", "c"});
  EXPECT_EQ(small.confusion_matrix,
            (std::vector<std::vector<int64_t>>{{1, 0, 0}, {0, 1, 1}, {0, 1, 1}}));
  EXPECT_EQ(nlohmann::json::parse(to_json(small).dump()).count("confusion_matrix_sparse"), 0u);
}

TEST(Metrics, ReportTextEscapesTerminalControlsInLabels) {
  // Labels come from the data file; a label holding an escape sequence must not reach the terminal.
  const std::vector<std::string> y_true{"\x1b[31mred", "ok", "ok"};
  const std::vector<std::string> y_pred{"\x1b[31mred", "ok", "\x1b[31mred"};
  const std::string text = format_report(classification_report(y_true, y_pred));
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_NE(text.find("\\x1b[31mred"), std::string::npos) << text;
}

}  // namespace
}  // namespace finsent::eval
