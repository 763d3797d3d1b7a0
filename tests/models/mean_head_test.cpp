// The mean-pooling head: sentence-transformers' pooling over Transformers' hidden states, blind to
// padding, and saved so that finsent gets it back and Transformers cannot mistake it for its own.
#include <gtest/gtest.h>

#include <algorithm>

#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::json_tensor;
using testing::max_abs_diff;

SequenceClassifier mean_classifier(const std::string& source) {
  ClassifierOptions options;
  options.head = "mean";
  options.require_trained_head = false;  // a new mean head on the fixture's encoder
  return load_sequence_classifier(fixture(source), options);
}

TEST(MeanHead, FeaturesAreTheMaskedMeanOfTransformersHiddenStates) {
  for (const std::string source : {"tiny-bert", "tiny-distilbert"}) {
    SCOPED_TRACE(source);
    auto doc = testing::read_json(fixture(source) / "parity.json");
    torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
    torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);
    torch::Tensor types;
    if (doc.contains("token_type_ids")) types = json_tensor(doc["token_type_ids"], torch::kLong);
    torch::Tensor hidden = json_tensor(doc["last_hidden_state"], torch::kFloat);
    torch::Tensor m = mask.unsqueeze(-1).to(torch::kFloat);
    torch::Tensor expected = (hidden * m).sum(1) / m.sum(1);  // sentence-transformers' Pooling

    SequenceClassifier model = mean_classifier(source);
    EXPECT_EQ(model->head_name(), "mean");
    torch::NoGradGuard no_grad;
    EXPECT_LE(max_abs_diff(model->features(ids, mask, types), expected), 1e-5);
  }
}

TEST(MeanHead, ExtraPaddingDoesNotChangeTheFeatures) {
  SequenceClassifier model = mean_classifier("tiny-bert");
  auto doc = testing::read_json(fixture("tiny-bert") / "parity.json");
  torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
  torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);
  torch::Tensor ids_padded = torch::cat({ids, torch::zeros({ids.size(0), 5}, torch::kLong)}, 1);
  torch::Tensor mask_padded = torch::cat({mask, torch::zeros({ids.size(0), 5}, torch::kLong)}, 1);
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_abs_diff(model->features(ids_padded, mask_padded), model->features(ids, mask)),
            1e-5);
}

TEST(MeanHead, SaveThenLoadGivesItBackUnderANameTransformersDoesNotUse) {
  SequenceClassifier model = mean_classifier("tiny-distilbert");
  {
    torch::NoGradGuard no_grad;
    torch::Tensor w = model->head()->classifier()->weight;
    w.copy_(torch::cos(torch::arange(w.numel(), torch::kFloat) * 0.3).view_as(w) * 0.5);
  }
  auto doc = testing::read_json(fixture("tiny-distilbert") / "parity.json");
  torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
  torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);
  torch::NoGradGuard no_grad;
  const torch::Tensor before = model->forward(ids, mask);

  testing::TempDir tmp("mean-head");
  save_pretrained(*model, *text::load_tokenizer(fixture("tiny-distilbert")), tmp.path());
  EXPECT_EQ(testing::read_json(tmp.path() / "config.json")["finsent_head"], "mean");
  const auto names = open_checkpoint(tmp.path())->names();
  EXPECT_NE(std::find(names.begin(), names.end(), "mean_classifier.weight"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "classifier.weight"), names.end());

  SequenceClassifier again = load_sequence_classifier(tmp.path());
  EXPECT_EQ(again->head_name(), "mean");
  EXPECT_TRUE(again->load_report().clean()) << again->load_report().summary("x", "mean");
  EXPECT_LE(max_abs_diff(again->forward(ids, mask), before), 1e-6);
}

}  // namespace
}  // namespace finsent::models
