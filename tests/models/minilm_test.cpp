// The real all-MiniLM-L6-v2 (scripts/fetch-model.sh) against Transformers on PhraseBank sentences,
// at 1e-4.
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

std::filesystem::path minilm_dir() {
  const char* root = std::getenv("FINSENT_MODELS");
  return std::filesystem::path(root ? root : FINSENT_SOURCE_DIR "/models") / "all-MiniLM-L6-v2";
}

TEST(MiniLM, HiddenStatesMatchTransformers) {
  const auto dir = minilm_dir();
  ASSERT_TRUE(std::filesystem::exists(dir / "model.safetensors"))
      << dir
      << " has no model: run scripts/fetch-model.sh (or set FINSENT_MODELS to the folder holding "
         "all-MiniLM-L6-v2)";
  auto doc = testing::read_json(testing::fixture("minilm-phrasebank.json"));
  ClassifierOptions options;
  options.head = "bert";  // the family's head, whatever the directory's pooling
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(dir, options);
  // A sentence-transformers base model: the head is new, nothing else is missing or left over.
  EXPECT_EQ(model->load_report().newly_initialized,
            (std::vector<std::string>{"classifier.weight", "classifier.bias"}));
  EXPECT_TRUE(model->load_report().unexpected.empty());

  // The tokenizer gives the ids Transformers used.
  const auto tokenizer = text::load_tokenizer(dir);
  for (size_t i = 0; i < doc["sentences"].size(); ++i) {
    auto ids = tokenizer->encode(doc["sentences"][i].get<std::string>()).ids;
    std::vector<int64_t> want;
    for (size_t j = 0; j < doc["input_ids"][i].size(); ++j)
      if (doc["attention_mask"][i][j] == 1) want.push_back(doc["input_ids"][i][j]);
    EXPECT_EQ(ids, want) << i;
  }

  torch::Tensor ids = json_tensor(doc["input_ids"], torch::kLong);
  torch::Tensor mask = json_tensor(doc["attention_mask"], torch::kLong);
  torch::Tensor types = json_tensor(doc["token_type_ids"], torch::kLong);
  c10::InferenceMode guard;
  torch::Tensor hidden = model->encoder()->forward(ids, mask, types);
  double worst = 0;
  for (size_t b = 0; b < doc["positions"].size(); ++b)
    for (size_t k = 0; k < doc["positions"][b].size(); ++k) {
      const int64_t pos = doc["positions"][b][k];
      torch::Tensor want = json_tensor(doc["hidden"][b][k], torch::kFloat);
      worst = std::max(worst, testing::max_abs_diff(hidden[static_cast<int64_t>(b)][pos], want));
    }
  EXPECT_LE(worst, 1e-4);
  std::ostringstream shown;
  shown << std::scientific << std::setprecision(2) << worst;
  RecordProperty("max_abs_diff", shown.str());
}

TEST(MiniLM, AutoHeadIsTheMeanPoolingItWasTrainedWith) {
  const auto dir = minilm_dir();
  // scripts/fetch-model.sh installs sentence-transformers' modules.json and 1_Pooling/config.json;
  // an older copy without them keeps the family's head.
  const std::string expected = std::filesystem::exists(dir / "modules.json") ? "mean" : "bert";
  EXPECT_EQ(auto_head(dir, ModelConfig::load(dir)), expected);
  // A base encoder: predict, eval and serve refuse it.
  EXPECT_THROW(load_sequence_classifier(dir), WeightsError);
}

}  // namespace
}  // namespace finsent::models
