// The baseline's predictions on all four PhraseBank files scored as sklearn.metrics scores them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.hpp"
#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/data/dataset.hpp"
#include "finsent/eval/metrics.hpp"

namespace finsent::eval {
namespace {

TEST(MetricsParity, BaselineScoresEqualScikitLearnOnAllFourFiles) {
  const auto ref = nlohmann::json::parse(
      testing::read_text(testing::fixture("data/phrasebank_reference.json")))["files"];
  ASSERT_EQ(ref.size(), 4u);
  for (const auto& [name, expected] : ref.items()) {
    auto rows = data::load_examples({.path = testing::phrasebank_file(name)});
    const auto result = baseline::run_naive_bayes_baseline(data::split_train_test(rows, {}));
    const auto& m = expected["metrics"];
    const auto r = classification_report(result.y_true, result.y_pred, result.labels);
    EXPECT_NEAR(r.accuracy, m["accuracy"].get<double>(), 1e-15) << name;
    for (size_t c = 0; c < r.labels.size(); ++c) {
      EXPECT_NEAR(r.per_class[c].precision, m["precision"][c].get<double>(), 1e-15) << name;
      EXPECT_NEAR(r.per_class[c].recall, m["recall"][c].get<double>(), 1e-15) << name;
      EXPECT_NEAR(r.per_class[c].f1, m["f1"][c].get<double>(), 1e-15) << name;
      EXPECT_EQ(r.per_class[c].support, m["support"][c].get<int64_t>()) << name;
    }
    const std::pair<const ClassMetrics*, const char*> averages[] = {{&r.macro_avg, "macro"},
                                                                    {&r.weighted_avg, "weighted"}};
    for (const auto& [avg, key] : averages) {
      EXPECT_NEAR(avg->precision, m[key][0].get<double>(), 1e-15) << name << " " << key;
      EXPECT_NEAR(avg->recall, m[key][1].get<double>(), 1e-15) << name << " " << key;
      EXPECT_NEAR(avg->f1, m[key][2].get<double>(), 1e-15) << name << " " << key;
    }
    EXPECT_EQ(r.confusion_matrix, m["confusion_matrix"].get<std::vector<std::vector<int64_t>>>())
        << name;
  }
}

}  // namespace
}  // namespace finsent::eval
