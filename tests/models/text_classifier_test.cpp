// TextClassifier: batching, sorting and padding never change a text's logits; predictions and
// errors.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/core/threads.hpp"
#include "finsent/models/text_classifier.hpp"
#include "finsent/models/torch_threads.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::max_abs_diff;

const std::vector<std::string> kTexts = {
    "Operating profit rose to EUR 13.1 mn from EUR 8.7 mn",
    "The company said net sales fell",
    "Loss",
    "Finnish bank shares increased by 5 % in the third quarter of the year , the company said .",
    "",
};

TEST(TextClassifier, BatchedLogitsEqualOneByOneForwardPasses) {
  TextClassifier clf = TextClassifier::load(fixture("tiny-bert"));
  EXPECT_EQ(clf.labels(), (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(clf.max_length(), 64);
  std::vector<TextInput> inputs;
  for (const auto& t : kTexts) inputs.push_back({t, std::nullopt});
  torch::Tensor all = clf.logits(inputs, true, 2);
  ASSERT_EQ(all.sizes(), (std::vector<int64_t>{5, 3}));
  torch::NoGradGuard no_grad;
  for (size_t i = 0; i < kTexts.size(); ++i) {
    text::Encoding e = clf.tokenizer().encode(kTexts[i]);
    torch::Tensor ids = torch::tensor(e.ids, torch::kLong).unsqueeze(0);
    torch::Tensor one = clf.model()->forward(ids, torch::ones_like(ids));
    EXPECT_LE(max_abs_diff(all[static_cast<int64_t>(i)], one[0]), 1e-5) << kTexts[i];
  }
  EXPECT_LE(max_abs_diff(clf.logits(inputs, true, 32), all), 1e-5);
  EXPECT_LE(max_abs_diff(clf.logits(inputs, true, 1), all), 1e-5);
}

TEST(TextClassifier, PairsUseTokenTypes) {
  TextClassifier clf = TextClassifier::load(fixture("tiny-bert"));
  std::vector<TextInput> inputs = {{"net sales rose", std::string("the company said")},
                                   {"loss", std::nullopt}};
  torch::Tensor got = clf.logits(inputs);
  text::Encoding e = clf.tokenizer().encode_pair("net sales rose", "the company said");
  torch::Tensor ids = torch::tensor(e.ids, torch::kLong).unsqueeze(0);
  torch::Tensor types = torch::tensor(e.type_ids, torch::kLong).unsqueeze(0);
  ASSERT_GT(types.sum().item<int64_t>(), 0);
  torch::NoGradGuard no_grad;
  torch::Tensor want = clf.model()->forward(ids, torch::ones_like(ids), types);
  EXPECT_LE(max_abs_diff(got[0], want[0]), 1e-5);
}

TEST(TextClassifier, PredictGivesSoftmaxAndArgmaxLabel) {
  TextClassifier clf = TextClassifier::load(fixture("tiny-distilbert"));
  auto preds = clf.predict(kTexts);
  ASSERT_EQ(preds.size(), kTexts.size());
  std::vector<TextInput> inputs;
  for (const auto& t : kTexts) inputs.push_back({t, std::nullopt});
  torch::Tensor probs = torch::softmax(clf.logits(inputs).to(torch::kDouble), 1);
  for (size_t i = 0; i < preds.size(); ++i) {
    double sum = 0;
    for (size_t k = 0; k < 3; ++k) {
      EXPECT_NEAR(preds[i].probabilities[k], probs[i][k].item<double>(), 1e-6);
      sum += preds[i].probabilities[k];
    }
    EXPECT_NEAR(sum, 1.0, 1e-6);
    const int64_t best = probs[i].argmax().item<int64_t>();
    EXPECT_EQ(preds[i].label, clf.labels()[best]);
    EXPECT_FLOAT_EQ(preds[i].score, preds[i].probabilities[best]);
  }
}

TEST(TextClassifier, LongInputsAreTruncatedOrRejected) {
  TextClassifier clf = TextClassifier::load(fixture("tiny-bert"));
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "profit ";
  std::vector<TextInput> inputs = {{"loss", std::nullopt}, {long_text, std::nullopt}};
  EXPECT_EQ(clf.logits(inputs, true).size(0), 2);
  try {
    clf.logits(inputs, false);
    FAIL() << "a 102-token input passed a 64-position model";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "input 1 has 102 tokens, more than the model's maximum of 64");
  }
  EXPECT_THROW(clf.logits(inputs, true, 0), InputError);
  EXPECT_EQ(clf.logits({}).size(0), 0);
}

TEST(TorchThreads, FollowFinsentsSetting) {
  const int before = finsent::num_threads();
  finsent::set_num_threads(1);
  apply_torch_threads();
  EXPECT_EQ(torch::get_num_threads(), 1);
  finsent::set_num_threads(2);
  apply_torch_threads();
  EXPECT_EQ(torch::get_num_threads(), 2);
  finsent::set_num_threads(before);
  apply_torch_threads();
}

}  // namespace
}  // namespace finsent::models
