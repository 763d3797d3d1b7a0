// The RoBERTa, XLM-R, ELECTRA and MPNet families against Transformers
// (tools/make_family_fixtures.py): hidden states and logits at 1e-5 in eval mode (padding in the
// middle of the batch, a pair with token types for ELECTRA, a bf16 checkpoint), the training layout
// (packed tokens) with dropout off, position limits, and MPNet's relative position buckets.
#include <gtest/gtest.h>

#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/models/mpnet/mpnet_model.hpp"
#include "finsent/models/roberta/roberta_model.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::json_tensor;
using testing::max_abs_diff;
using testing::Parity;

constexpr double kTolerance = 1e-5;

struct FamilyCase {
  std::string fixture, head, architecture;
};

void PrintTo(const FamilyCase& c, std::ostream* os) {
  *os << c.fixture;
}

std::string case_name(const ::testing::TestParamInfo<FamilyCase>& info) {
  std::string name;
  for (char ch : info.param.fixture)
    name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name;
}

class FamilyParity : public ::testing::TestWithParam<FamilyCase> {};

TEST_P(FamilyParity, HiddenStatesAndLogitsMatchTransformers) {
  const FamilyCase& c = GetParam();
  Parity p(c.fixture);
  SequenceClassifier model = load_sequence_classifier(fixture(c.fixture));
  EXPECT_TRUE(model->load_report().clean()) << model->load_report().summary(c.fixture, "x");
  EXPECT_EQ(model->head_name(), c.head);
  EXPECT_EQ(testing::read_json(fixture(c.fixture) / "config.json")["architectures"][0],
            c.architecture);
  torch::NoGradGuard no_grad;
  const torch::Tensor hidden = model->encoder()->forward(p.ids, p.mask, p.types);
  EXPECT_LE(max_abs_diff(hidden, p.expected("last_hidden_state")), kTolerance);
  EXPECT_LE(max_abs_diff(model->forward(p.ids, p.mask, p.types), p.expected("logits")), kTolerance);
  // The rows differ clearly, so a wrong position or mask could not hide in the tolerance.
  const torch::Tensor logits = p.expected("logits");
  EXPECT_GT((logits[0] - logits[1]).abs().max().item<double>(), 1e-2);
}

// Training packs the real tokens (TokenLayout) and runs attention on the grid; with dropout off it
// must compute what eval mode computes, for every family's attention (MPNet's position bias too).
TEST_P(FamilyParity, TrainingLayoutWithoutDropoutGivesTheSameLogits) {
  const FamilyCase& c = GetParam();
  Parity p(c.fixture);
  testing::TempDir dir("family-train-" + c.fixture);
  for (const auto& e : std::filesystem::directory_iterator(fixture(c.fixture)))
    std::filesystem::copy_file(e.path(), dir.path() / e.path().filename());
  nlohmann::json config = testing::read_json(dir.path() / "config.json");
  config["hidden_dropout_prob"] = 0.0;
  config["attention_probs_dropout_prob"] = 0.0;
  std::ofstream(dir.path() / "config.json") << config.dump(2);
  SequenceClassifier model = load_sequence_classifier(dir.path());
  model->train();
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_abs_diff(model->forward(p.ids, p.mask, p.types), p.expected("logits")), kTolerance);
}

TEST_P(FamilyParity, InputsLongerThanThePositionTableAreRefused) {
  const FamilyCase& c = GetParam();
  SequenceClassifier model = load_sequence_classifier(fixture(c.fixture));
  const int64_t limit = max_sequence_length(model->config());
  // RoBERTa-style positions start after padding_idx 1: 40 rows leave 38 positions.
  EXPECT_EQ(limit, c.head == "electra" ? 40 : 38);
  torch::NoGradGuard no_grad;
  const torch::Tensor ids = torch::full({1, limit}, 5, torch::kLong);
  EXPECT_EQ(model->forward(ids, torch::ones_like(ids)).size(0), 1);
  const torch::Tensor longer = torch::full({1, limit + 1}, 5, torch::kLong);
  EXPECT_THROW(model->forward(longer, torch::ones_like(longer)), InputError);
}

INSTANTIATE_TEST_SUITE_P(
    Families, FamilyParity,
    ::testing::Values(
        FamilyCase{"tiny-roberta", "roberta", "RobertaForSequenceClassification"},
        FamilyCase{"tiny-roberta-bf16", "roberta", "RobertaForSequenceClassification"},
        FamilyCase{"tiny-xlm-roberta", "roberta", "XLMRobertaForSequenceClassification"},
        FamilyCase{"tiny-electra", "electra", "ElectraForSequenceClassification"},
        FamilyCase{"tiny-mpnet", "mpnet", "MPNetForSequenceClassification"}),
    case_name);

TEST(FamilyParity, TheBf16CheckpointHoldsBf16Tensors) {
  std::ifstream in(fixture("tiny-roberta-bf16") / "model.safetensors", std::ios::binary);
  uint64_t size = 0;
  in.read(reinterpret_cast<char*>(&size), 8);
  std::string header(size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(size));
  const auto doc = nlohmann::json::parse(header);
  EXPECT_EQ(doc.at("roberta.embeddings.word_embeddings.weight").at("dtype"), "BF16");
}

TEST(RobertaPositions, CountTheTokensAfterPaddingIdx) {
  // transformers create_position_ids_from_input_ids: padding keeps padding_idx.
  const torch::Tensor ids = torch::tensor({0, 5, 6, 2, 1, 1}, torch::kLong).view({1, -1});
  const torch::Tensor positions = position_ids_after_padding(ids, 1);
  EXPECT_TRUE(
      torch::equal(positions, torch::tensor({2, 3, 4, 5, 1, 1}, torch::kLong).view({1, -1})));
}

TEST(MPNetBuckets, MatchTransformersRelativePositionBucket) {
  // Values of transformers MPNetEncoder.relative_position_bucket(key - query, 32) for length 200.
  const torch::Tensor b = relative_position_buckets(200, 32, 128, torch::TensorOptions());
  const std::vector<int64_t> keys0 = {0, 1, 7, 8, 9, 15, 16, 50, 127, 128, 199};
  const std::vector<int64_t> row0 = {0, 17, 23, 24, 24, 25, 26, 29, 31, 31, 31};
  for (size_t i = 0; i < keys0.size(); ++i)
    EXPECT_EQ(b[0][keys0[i]].item<int64_t>(), row0[i]) << "key " << keys0[i];
  const std::vector<int64_t> keys199 = {0, 100, 192, 198, 199};
  const std::vector<int64_t> row199 = {15, 15, 7, 1, 0};
  for (size_t i = 0; i < keys199.size(); ++i)
    EXPECT_EQ(b[199][keys199[i]].item<int64_t>(), row199[i]) << "key " << keys199[i];
  EXPECT_EQ(b.sum().item<int64_t>(), 809730);
}

TEST(MPNetConfig, FewerThan32BucketsAreRefused) {
  nlohmann::json doc = testing::read_json(fixture("tiny-mpnet") / "config.json");
  doc["relative_attention_num_buckets"] = 16;
  try {
    ModelConfig::from_json(doc, "tiny-mpnet/config.json");
    FAIL() << "accepted 16 buckets";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("relative_attention_num_buckets"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace finsent::models
