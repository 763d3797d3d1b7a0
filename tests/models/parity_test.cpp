// Golden parity with Transformers (tools/make_model_fixtures.py): hidden states, pooler, logits at
// 1e-5.
#include <gtest/gtest.h>

#include "finsent/models/sequence_classifier.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::json_tensor;
using testing::max_abs_diff;
using testing::Parity;

constexpr double kTolerance = 1e-5;

TEST(Parity, TinyBertHiddenStatesPoolerAndLogits) {
  Parity p("tiny-bert");
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"));
  EXPECT_TRUE(model->load_report().clean()) << model->load_report().summary("tiny-bert", "x");
  EXPECT_EQ(model->head_name(), "bert");
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = model->encoder()->forward(p.ids, p.mask, p.types);
  EXPECT_LE(max_abs_diff(hidden, p.expected("last_hidden_state")), kTolerance);
  EXPECT_LE(max_abs_diff(model->encoder()->pool(hidden), p.expected("pooler_output")), kTolerance);
  EXPECT_LE(max_abs_diff(model->forward(p.ids, p.mask, p.types), p.expected("logits")), kTolerance);
  // features() + classify() is forward() split at the head.
  torch::Tensor f = model->features(p.ids, p.mask, p.types);
  EXPECT_EQ(f.sizes(), (std::vector<int64_t>{3, 32}));
  EXPECT_LE(max_abs_diff(model->classify(f), p.expected("logits")), kTolerance);
}

TEST(Parity, TinyBertBaseModelWithoutPrefixGeluNew) {
  Parity p("tiny-bert-base");
  ClassifierOptions options;
  options.require_trained_head = false;  // a base model: no head to check, only the encoder
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert-base"), options);
  // A base model loaded into a classifier: only the new head is reported, as Transformers does.
  EXPECT_EQ(model->load_report().newly_initialized,
            (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_TRUE(model->load_report().unexpected.empty());
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = model->encoder()->forward(p.ids, p.mask, torch::Tensor());
  EXPECT_LE(max_abs_diff(hidden, p.expected("last_hidden_state")), kTolerance);
  EXPECT_LE(max_abs_diff(model->encoder()->pool(hidden), p.expected("pooler_output")), kTolerance);
}

TEST(Parity, PickleCheckpointGivesTheSameModel) {
  // tiny-bert-base-bin holds tiny-bert-base's weights as pytorch_model.bin (torch.save).
  Parity p("tiny-bert-base");
  ClassifierOptions options;
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert-base-bin"), options);
  EXPECT_EQ(model->load_report().newly_initialized,
            (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = model->encoder()->forward(p.ids, p.mask, torch::Tensor());
  EXPECT_LE(max_abs_diff(hidden, p.expected("last_hidden_state")), kTolerance);
  EXPECT_LE(max_abs_diff(model->encoder()->pool(hidden), p.expected("pooler_output")), kTolerance);
}

TEST(Parity, TinyDistilBertHiddenStatesAndLogits) {
  Parity p("tiny-distilbert");
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-distilbert"));
  EXPECT_TRUE(model->load_report().clean());
  EXPECT_EQ(model->head_name(), "distilbert");
  torch::NoGradGuard no_grad;
  torch::Tensor hidden = model->encoder()->forward(p.ids, p.mask, torch::Tensor());
  EXPECT_LE(max_abs_diff(hidden, p.expected("last_hidden_state")), kTolerance);
  EXPECT_LE(max_abs_diff(model->forward(p.ids, p.mask), p.expected("logits")), kTolerance);
}

TEST(Parity, PaddingDoesNotChangeTheRealTokens) {
  // Row 1 of the fixture alone, unpadded, gives the same hidden states on its 5 real tokens.
  Parity p("tiny-bert");
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"));
  torch::NoGradGuard no_grad;
  torch::Tensor ids = p.ids.slice(0, 1, 2).slice(1, 0, 5);
  torch::Tensor alone = model->encoder()->forward(ids, torch::ones_like(ids), torch::Tensor());
  torch::Tensor expected = p.expected("last_hidden_state").slice(0, 1, 2).slice(1, 0, 5);
  EXPECT_LE(max_abs_diff(alone, expected), kTolerance);
}

TEST(Parity, EvalIsDeterministicAndTrainUsesDropout) {
  Parity p("tiny-distilbert");
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-distilbert"));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(model->forward(p.ids, p.mask), model->forward(p.ids, p.mask)));
  model->train();
  torch::manual_seed(0);
  torch::Tensor a = model->forward(p.ids, p.mask);
  torch::Tensor b = model->forward(p.ids, p.mask);
  EXPECT_FALSE(torch::allclose(a, b));
}

}  // namespace
}  // namespace finsent::models
