// save_pretrained round trips: finsent -> finsent, and finsent -> Transformers (logits recorded by
// tools/roundtrip_check.py in tests/fixtures/models/roundtrip.json).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>

#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/tokenizer.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::json_tensor;
using testing::max_abs_diff;

struct Case {
  std::string name, source, head;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {{"bert-linear", "tiny-bert", "linear"},
                                        {"distilbert-linear", "tiny-distilbert", "linear"},
                                        {"bert-head", "tiny-bert", "bert"},
                                        {"distilbert-head", "tiny-distilbert", "distilbert"},
                                        {"roberta-head", "tiny-roberta", "roberta"},
                                        {"roberta-linear", "tiny-roberta", "linear"},
                                        {"xlm-roberta-head", "tiny-xlm-roberta", "roberta"},
                                        {"electra-head", "tiny-electra", "electra"},
                                        {"electra-linear", "tiny-electra", "linear"},
                                        {"mpnet-head", "tiny-mpnet", "mpnet"},
                                        {"mpnet-linear", "tiny-mpnet", "linear"}};
  return all;
}

// The classifier of `c`, with a deterministic (not random) linear head so the saved files do not
// depend on LibTorch's random generator.
SequenceClassifier build(const Case& c) {
  ClassifierOptions options;
  options.head = c.head;
  options.require_trained_head = false;  // the linear heads start new
  SequenceClassifier model = load_sequence_classifier(fixture(c.source), options);
  if (c.head == "linear") {
    torch::NoGradGuard no_grad;
    torch::Tensor w = model->head()->classifier()->weight;
    w.copy_(torch::sin(torch::arange(w.numel(), torch::kFloat) * 0.7).view_as(w) * 0.5);
    model->head()->classifier()->bias.copy_(torch::tensor({0.1f, -0.2f, 0.05f}));
  }
  return model;
}

// The parity inputs of a source fixture (ids inside its vocabulary, padding mid-batch).
using Inputs = testing::Parity;

torch::Tensor logits_of(SequenceClassifierImpl& model, const Inputs& in) {
  torch::NoGradGuard no_grad;
  return model.forward(in.ids, in.mask, in.types);
}

// The Transformers class config.json names for `source`'s family.
std::string architecture_of(const std::string& source) {
  static const std::map<std::string, std::string> by_source = {
      {"tiny-bert", "BertForSequenceClassification"},
      {"tiny-distilbert", "DistilBertForSequenceClassification"},
      {"tiny-roberta", "RobertaForSequenceClassification"},
      {"tiny-xlm-roberta", "XLMRobertaForSequenceClassification"},
      {"tiny-electra", "ElectraForSequenceClassification"},
      {"tiny-mpnet", "MPNetForSequenceClassification"}};
  return by_source.at(source);
}

TEST(RoundTrip, SaveThenLoadGivesTheSameLogitsAndHead) {
  const char* export_dir =
      std::getenv("FINSENT_ROUNDTRIP_OUT");  // set by tools/roundtrip_check.py only
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const Inputs in(c.source);
    SequenceClassifier model = build(c);
    torch::Tensor before = logits_of(*model, in);
    testing::TempDir tmp("roundtrip");
    const std::filesystem::path dir =
        export_dir ? std::filesystem::path(export_dir) / c.name : tmp.path() / c.name;
    save_pretrained(*model, *text::load_tokenizer(fixture(c.source)), dir);

    for (const char* file : {"config.json", "model.safetensors", "tokenizer_config.json"})
      EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
    // The tokenizer in the files it came in: vocab.txt (tiny-bert) or tokenizer.json.
    EXPECT_TRUE(std::filesystem::exists(dir / "vocab.txt") ||
                std::filesystem::exists(dir / "tokenizer.json"));
    auto config = testing::read_json(dir / "config.json");
    EXPECT_EQ(config["architectures"][0], architecture_of(c.source));
    EXPECT_EQ(config["id2label"]["2"], "positive");
    EXPECT_EQ(config["label2id"]["neutral"], 1);
    EXPECT_EQ(config.contains("finsent_head"), c.head == "linear");

    SequenceClassifier again = load_sequence_classifier(dir);
    EXPECT_TRUE(again->load_report().clean()) << again->load_report().summary(dir.string(), c.name);
    EXPECT_EQ(again->head_name(), c.head);
    EXPECT_LE(max_abs_diff(logits_of(*again, in), before), 1e-5);
    if (c.head == "linear") {  // the unfolded head is the original one, up to float rounding
      torch::Tensor w0 = model->head()->classifier()->weight,
                    w1 = again->head()->classifier()->weight;
      // Heads folded by a power-of-two scale give the weight back exactly.
      EXPECT_TRUE(torch::equal(w0, w1) || c.source == "tiny-distilbert") << c.source;
      EXPECT_LE(max_abs_diff(again->head()->classifier()->bias, model->head()->classifier()->bias),
                1e-6);
    }
  }
}

TEST(RoundTrip, TransformersLoadsWhatFinsentSavesWithTheSameLogits) {
  const auto path = fixture("roundtrip.json");
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing: run tools/roundtrip_check.py";
  auto recorded = testing::read_json(path);
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const Inputs in(c.source);
    ASSERT_TRUE(recorded["cases"].contains(c.name)) << "run tools/roundtrip_check.py";
    const auto& r = recorded["cases"][c.name];
    // Transformers found every weight it needed and no stray one.
    EXPECT_TRUE(r["missing_keys"].empty()) << r["missing_keys"].dump();
    EXPECT_TRUE(r["unexpected_keys"].empty()) << r["unexpected_keys"].dump();
    EXPECT_TRUE(r["mismatched_keys"].empty()) << r["mismatched_keys"].dump();
    SequenceClassifier model = build(c);
    EXPECT_LE(max_abs_diff(logits_of(*model, in), json_tensor(r["logits"], torch::kFloat)), 1e-5);
  }
}

}  // namespace
}  // namespace finsent::models
