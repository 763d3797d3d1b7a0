// Input standardization of a head: applied before the head's layers, folded into its first Linear
// when saved, so the saved model is an ordinary head with the same logits.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::json_tensor;
using testing::max_abs_diff;

struct Case {
  std::string source;
  std::string head;
};

TEST(InputStandardization, AppliesBeforeTheHeadAndSurvivesSaveAndLoad) {
  for (const Case& c : {Case{"tiny-bert", "linear"}, Case{"tiny-bert", "bert"},
                        Case{"tiny-bert", "mean"}, Case{"tiny-distilbert", "distilbert"},
                        Case{"tiny-distilbert", "linear"}, Case{"tiny-distilbert", "mean"}}) {
    SCOPED_TRACE(c.source + " / " + c.head);
    ClassifierOptions options;
    options.head = c.head;
    options.require_trained_head = false;  // linear and mean heads start new
    SequenceClassifier model = load_sequence_classifier(fixture(c.source), options);
    auto doc = testing::read_json(fixture(c.source) / "parity.json");
    torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
    torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);

    torch::NoGradGuard no_grad;
    const torch::Tensor features = model->features(ids, mask);
    const int64_t hidden = features.size(1);
    const torch::Tensor mean = torch::sin(torch::arange(hidden, torch::kFloat)) * 0.3;
    const torch::Tensor scale = 0.05 + torch::cos(torch::arange(hidden, torch::kFloat)).abs() * 0.2;
    const torch::Tensor raw = model->classify(features);
    const torch::Tensor plain = model->classify((features - mean) / scale);
    model->head()->standardize_inputs(mean, scale);
    const torch::Tensor standardized = model->forward(ids, mask);
    EXPECT_LE(max_abs_diff(standardized, plain), 1e-6);
    EXPECT_GT(max_abs_diff(standardized, raw), 1e-3);

    testing::TempDir tmp("standardized-" + c.head);
    save_pretrained(*model, *text::load_tokenizer(fixture(c.source)), tmp.path());
    SequenceClassifier again = load_sequence_classifier(tmp.path());
    EXPECT_EQ(again->head_name(), model->head_name());
    EXPECT_FALSE(again->head()->input_mean().defined());
    EXPECT_LE(max_abs_diff(again->forward(ids, mask), standardized), 1e-4);
  }
}

TEST(InputStandardization, RefusesBadStatistics) {
  ClassifierOptions options;
  options.head = "mean";
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"), options);
  const int64_t hidden = model->config().hidden_size;
  EXPECT_THROW(model->head()->standardize_inputs(torch::zeros({hidden + 1}), torch::ones({hidden})),
               ConfigError);
  EXPECT_THROW(model->head()->standardize_inputs(torch::zeros({hidden}), torch::zeros({hidden})),
               ConfigError);
  EXPECT_FALSE(model->head()->input_mean().defined());
}

}  // namespace
}  // namespace finsent::models
