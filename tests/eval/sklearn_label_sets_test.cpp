// scikit-learn's label-set rules (classes missing from y_true, y_pred or a split) pinned to
// fixtures made by tools/make_metrics_fixtures.py: metrics on label names, and the NB baseline.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.hpp"
#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/core/error.hpp"
#include "finsent/data/dataset.hpp"
#include "finsent/eval/metrics.hpp"

namespace finsent::eval {
namespace {

using nlohmann::json;

json reference() {
  return json::parse(testing::read_text(testing::fixture("eval/sklearn_label_sets.json")));
}

// Every number of the report against sklearn's, and a note for each warning sklearn raised.
void expect_report_equals(const ClassificationReport& r, const json& e, const std::string& name) {
  ASSERT_EQ(r.labels, e["labels"].get<std::vector<std::string>>()) << name;
  EXPECT_NEAR(r.accuracy, e["accuracy"].get<double>(), 1e-15) << name;
  for (size_t c = 0; c < r.labels.size(); ++c) {
    EXPECT_NEAR(r.per_class[c].precision, e["precision"][c].get<double>(), 1e-15) << name;
    EXPECT_NEAR(r.per_class[c].recall, e["recall"][c].get<double>(), 1e-15) << name;
    EXPECT_NEAR(r.per_class[c].f1, e["f1"][c].get<double>(), 1e-15) << name;
    EXPECT_EQ(r.per_class[c].support, e["support"][c].get<int64_t>()) << name;
  }
  const std::pair<const ClassMetrics*, const char*> averages[] = {{&r.macro_avg, "macro"},
                                                                  {&r.weighted_avg, "weighted"}};
  for (const auto& [avg, key] : averages) {
    EXPECT_NEAR(avg->precision, e[key][0].get<double>(), 1e-15) << name << " " << key;
    EXPECT_NEAR(avg->recall, e[key][1].get<double>(), 1e-15) << name << " " << key;
    EXPECT_NEAR(avg->f1, e[key][2].get<double>(), 1e-15) << name << " " << key;
  }
  EXPECT_EQ(r.confusion_matrix, e["confusion_matrix"].get<std::vector<std::vector<int64_t>>>())
      << name;
  std::vector<std::string> warned;
  for (const auto& note : r.notes) warned.push_back(note.substr(0, note.find(" is ill-defined")));
  EXPECT_EQ(warned, e["warnings"].get<std::vector<std::string>>()) << name;
}

TEST(SklearnLabelSets, ReportOnLabelNamesEqualsScikitLearnForEveryCase) {
  const auto cases = reference()["cases"];
  ASSERT_GE(cases.size(), 9u);
  for (const auto& [name, c] : cases.items()) {
    const auto r = classification_report(c["y_true"].get<std::vector<std::string>>(),
                                         c["y_pred"].get<std::vector<std::string>>());
    expect_report_equals(r, c["expected"], name);
  }
}

TEST(SklearnLabelSets, IndexReportLeavesOutLabelsInNeitherSide) {
  // A model's three labels, its predictions and the gold labels using two of them.
  const std::vector<std::string> labels = {"positive", "negative", "neutral"};
  const auto r =
      classification_report(std::vector<int>{1, 1, 0}, std::vector<int>{1, 0, 0}, labels);
  EXPECT_EQ(r.labels, (std::vector<std::string>{"negative", "positive"}));
  EXPECT_NEAR(r.macro_avg.f1, (2.0 / 3 + 2.0 / 3) / 2, 1e-15);
  EXPECT_THROW(classification_report(std::vector<int>{3}, std::vector<int>{0}, labels), InputError);
}

TEST(SklearnLabelSets, BaselineWithAClassMissingFromASplitEqualsScikitLearn) {
  const auto baselines = reference()["baselines"];
  ASSERT_EQ(baselines.size(), 3u);
  for (const auto& [name, b] : baselines.items()) {
    const auto file = testing::fixture("data/" + b["file"].get<std::string>());
    const auto result = baseline::run_naive_bayes_baseline(
        data::split_train_test(data::load_examples({.path = file}), {}));
    std::vector<std::string> predicted;
    for (const int p : result.y_pred) predicted.push_back(result.labels[static_cast<size_t>(p)]);
    EXPECT_EQ(predicted, b["y_pred"].get<std::vector<std::string>>()) << name;
    expect_report_equals(classification_report(result.y_true, result.y_pred, result.labels),
                         b["metrics"], name);
  }
}

}  // namespace
}  // namespace finsent::eval
