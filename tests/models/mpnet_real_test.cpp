// The real sentence-transformers/all-mpnet-base-v2 (scripts/fetch-model.sh all-mpnet-base-v2)
// against Transformers on PhraseBank sentences (tools/make_family_fixtures.py --mpnet), at 1e-4.
// Skipped, visibly, when the model has not been fetched.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iomanip>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/models/head_resolution.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::json_tensor;

class MPNetReal : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("FINSENT_MODELS");
    dir_ = std::filesystem::path(root ? root : FINSENT_SOURCE_DIR "/models") / "all-mpnet-base-v2";
    if (!std::filesystem::exists(dir_ / "model.safetensors"))
      GTEST_SKIP() << dir_ << " has no model: run scripts/fetch-model.sh all-mpnet-base-v2";
  }
  std::filesystem::path dir_;
};

TEST_F(MPNetReal, TokensAndHiddenStatesMatchTransformers) {
  auto doc = testing::read_json(testing::fixture("mpnet-phrasebank.json"));
  ClassifierOptions options;
  options.head = "mpnet";
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(dir_, options);
  // MPNetModel's pooler is not part of MPNetForSequenceClassification: reported as unused, as
  // Transformers does; only the head is new.
  EXPECT_EQ(model->load_report().newly_initialized,
            (std::vector<std::string>{"classifier.dense.weight", "classifier.dense.bias",
                                      "classifier.out_proj.weight", "classifier.out_proj.bias"}));
  for (const auto& name : model->load_report().unexpected)
    EXPECT_EQ(name.rfind("pooler.", 0), 0u) << name;

  const auto tokenizer = text::load_tokenizer(dir_);
  for (size_t i = 0; i < doc["sentences"].size(); ++i) {
    auto ids = tokenizer->encode(doc["sentences"][i].get<std::string>()).ids;
    std::vector<int64_t> want;
    for (size_t j = 0; j < doc["input_ids"][i].size(); ++j)
      if (doc["attention_mask"][i][j] == 1) want.push_back(doc["input_ids"][i][j]);
    EXPECT_EQ(std::vector<int64_t>(ids.begin(), ids.end()), want) << i;
  }

  const torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
  const torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);
  c10::InferenceMode guard;
  const torch::Tensor hidden = model->encoder()->forward(ids, mask, {});
  double worst = 0;
  for (size_t b = 0; b < doc["positions"].size(); ++b)
    for (size_t k = 0; k < doc["positions"][b].size(); ++k) {
      const int64_t pos = doc["positions"][b][k];
      const torch::Tensor want = json_tensor(doc["hidden"][b][k], torch::kFloat);
      worst = std::max(worst, testing::max_abs_diff(hidden[static_cast<int64_t>(b)][pos], want));
    }
  EXPECT_LE(worst, 1e-4);
  std::ostringstream shown;
  shown << std::scientific << std::setprecision(2) << worst;
  RecordProperty("max_abs_diff", shown.str());
}

TEST_F(MPNetReal, AutoHeadIsTheMeanPoolingItWasTrainedWith) {
  EXPECT_EQ(auto_head(dir_, ModelConfig::load(dir_)), "mean");
  EXPECT_EQ(max_sequence_length(ModelConfig::load(dir_)), 512);
  EXPECT_THROW(load_sequence_classifier(dir_), WeightsError);  // a base encoder: no trained head
}

}  // namespace
}  // namespace finsent::models
