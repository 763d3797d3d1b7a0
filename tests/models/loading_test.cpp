// Strict loading: dtype conversion, missing / unexpected / mis-shaped weights, prefixes, legacy
// names, freezing.
#include <gtest/gtest.h>

#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::TempDir;

std::map<std::string, torch::Tensor> fixture_tensors(const std::string& name) {
  auto source = open_checkpoint(fixture(name));
  std::map<std::string, torch::Tensor> out;
  for (const auto& n : source->names()) out[n] = source->get(n);
  return out;
}

// A model directory: the fixture's config.json and `tensors` written as `dtype`.
void write_model(const std::filesystem::path& dir, const std::string& config_from,
                 const std::map<std::string, torch::Tensor>& tensors,
                 io::DType dtype = io::DType::F32) {
  std::filesystem::copy_file(fixture(config_from) / "config.json", dir / "config.json",
                             std::filesystem::copy_options::overwrite_existing);
  const torch::ScalarType st = dtype == io::DType::F16    ? torch::kHalf
                               : dtype == io::DType::BF16 ? torch::kBFloat16
                                                          : torch::kFloat;
  std::vector<torch::Tensor> keep;
  std::vector<io::TensorToWrite> out;
  for (const auto& [name, t] : tensors) {
    keep.push_back(t.to(st).contiguous());
    out.push_back({name, dtype, t.sizes().vec(),
                   std::span<const std::byte>(static_cast<const std::byte*>(keep.back().data_ptr()),
                                              keep.back().nbytes())});
  }
  io::save_safetensors(dir / "model.safetensors", out);
}

std::string weights_error(const std::filesystem::path& dir, const ClassifierOptions& options = {}) {
  try {
    load_sequence_classifier(dir, options);
  } catch (const WeightsError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Loading, HalfAndBFloat16WeightsBecomeFloat32) {
  auto tensors = fixture_tensors("tiny-bert");
  for (io::DType dtype : {io::DType::F16, io::DType::BF16}) {
    TempDir dir("half");
    write_model(dir.path(), "tiny-bert", tensors, dtype);
    SequenceClassifier model = load_sequence_classifier(dir.path());
    const torch::ScalarType st = dtype == io::DType::F16 ? torch::kHalf : torch::kBFloat16;
    for (const auto& item : model->named_parameters()) {
      ASSERT_EQ(item.value().scalar_type(), torch::kFloat) << item.key();
      EXPECT_TRUE(torch::equal(item.value(), tensors.at(item.key()).to(st).to(torch::kFloat)))
          << item.key();
    }
  }
}

TEST(Loading, MissingEncoderWeightIsAnError) {
  auto tensors = fixture_tensors("tiny-bert");
  tensors.erase("bert.encoder.layer.1.output.dense.weight");
  TempDir dir("missing");
  write_model(dir.path(), "tiny-bert", tensors);
  std::string err = weights_error(dir.path());
  EXPECT_NE(
      err.find("weights missing from the checkpoint: bert.encoder.layer.1.output.dense.weight"),
      std::string::npos)
      << err;
}

TEST(Loading, MisShapedEncoderWeightIsAnError) {
  auto tensors = fixture_tensors("tiny-bert");
  tensors["bert.embeddings.word_embeddings.weight"] = torch::zeros({60, 32});
  TempDir dir("shape");
  write_model(dir.path(), "tiny-bert", tensors);
  std::string err = weights_error(dir.path());
  EXPECT_EQ(err, (dir.path() / "config.json").string() +
                     ": vocab_size: 61 disagrees with the checkpoint: " +
                     (dir.path() / "model.safetensors").string() +
                     " holds bert.embeddings.word_embeddings.weight as [60, 32] (config.json makes "
                     "it [61, 32])");
  // A weight no config size pins is still checked name for name after loading.
  tensors = fixture_tensors("tiny-bert");
  tensors["bert.encoder.layer.1.output.dense.weight"] = torch::zeros({32, 63});
  write_model(dir.path(), "tiny-bert", tensors);
  err = weights_error(dir.path());
  EXPECT_NE(err.find("wrong shape for this config: bert.encoder.layer.1.output.dense.weight: "
                     "checkpoint [32, 63] vs model [32, 64]"),
            std::string::npos)
      << err;
}

// config.json of `from` with `patch` merged in, beside `from`'s weights, in `dir`.
void write_patched_config(const std::filesystem::path& dir, const std::string& from,
                          const nlohmann::json& patch) {
  nlohmann::json config = testing::read_json(fixture(from) / "config.json");
  config.merge_patch(patch);
  std::ofstream(dir / "config.json") << config.dump(2);
  for (const char* f : {"model.safetensors", "pytorch_model.bin", "vocab.txt"})
    if (std::filesystem::exists(fixture(from) / f))
      std::filesystem::copy_file(fixture(from) / f, dir / f,
                                 std::filesystem::copy_options::overwrite_existing);
}

// The one-line error loading `from` with `patch` applied to its config.json gives.
std::string patched_config_error(const std::string& from, const nlohmann::json& patch) {
  TempDir dir("patched");
  write_patched_config(dir.path(), from, patch);
  try {
    load_sequence_classifier(dir.path());
  } catch (const Error& e) {
    std::string what = e.what();
    const std::string prefix = dir.path().string() + "/";
    for (size_t at; (at = what.find(prefix)) != std::string::npos;) what.erase(at, prefix.size());
    return what;
  }
  return "no error";
}

TEST(Loading, ConfigSizesAreCheckedAgainstTheCheckpointHeaderFirst) {
  // Each of these allocated gigabytes (or failed inside LibTorch) before the checkpoint was read.
  const std::string ckpt = "disagrees with the checkpoint: model.safetensors holds ";
  EXPECT_EQ(patched_config_error("tiny-bert", {{"vocab_size", 20000000}}),
            "config.json: vocab_size: 20000000 " + ckpt +
                "bert.embeddings.word_embeddings.weight as [61, 32] (config.json makes it "
                "[20000000, 32])");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"num_hidden_layers", 1000000000}}),
            "config.json: num_hidden_layers: 1000000000 disagrees with the checkpoint: "
            "model.safetensors holds 2 layers (bert.encoder.layer.0-1)");
  EXPECT_EQ(patched_config_error("tiny-bert",
                                 {{"hidden_size", 1000000000000}, {"num_attention_heads", 1}}),
            "config.json: hidden_size: 1000000000000 " + ckpt +
                "bert.embeddings.word_embeddings.weight as [61, 32] (config.json makes it [61, "
                "1000000000000])");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"intermediate_size", 4096}}),
            "config.json: intermediate_size: 4096 " + ckpt +
                "bert.encoder.layer.0.intermediate.dense.weight as [64, 32] (config.json makes it "
                "[4096, 32])");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"max_position_embeddings", 1 << 30}}),
            "config.json: max_position_embeddings: 1073741824 " + ckpt +
                "bert.embeddings.position_embeddings.weight as [64, 32] (config.json makes it "
                "[1073741824, 32])");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"type_vocab_size", 100000000}}),
            "config.json: type_vocab_size: 100000000 " + ckpt +
                "bert.embeddings.token_type_embeddings.weight as [2, 32] (config.json makes it "
                "[100000000, 32])");
  EXPECT_EQ(patched_config_error("tiny-distilbert", {{"n_layers", 1000000000}}),
            "config.json: n_layers: 1000000000 disagrees with the checkpoint: model.safetensors "
            "holds 2 layers (distilbert.transformer.layer.0-1)");
  EXPECT_EQ(patched_config_error("tiny-distilbert", {{"hidden_dim", 1 << 30}}),
            "config.json: hidden_dim: 1073741824 " + ckpt +
                "distilbert.transformer.layer.0.ffn.lin1.weight as [64, 32] (config.json makes it "
                "[1073741824, 32])");
  // pytorch_model.bin: the same check, from the pickle's metadata.
  EXPECT_EQ(patched_config_error("tiny-bert-base-bin", {{"vocab_size", 20000000}}),
            "config.json: vocab_size: 20000000 disagrees with the checkpoint: pytorch_model.bin "
            "holds embeddings.word_embeddings.weight as [61, 24] (config.json makes it "
            "[20000000, 24])");
  // Sizes no shape can hold are refused while reading config.json.
  EXPECT_EQ(patched_config_error("tiny-bert", {{"vocab_size", 1e12}}),
            "config.json: vocab_size: expected an integer, got 1000000000000.0");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"vocab_size", -5}}),
            "config.json: vocab_size: must be positive, got -5");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"vocab_size", 18446744073709551615ULL}}),
            "config.json: vocab_size: 18446744073709551615 is out of range");
  EXPECT_EQ(patched_config_error("tiny-bert", {{"num_attention_heads", 5}}),
            "config.json: hidden_size: 32 is not a multiple of num_attention_heads (5)");
  // Fewer layers than the checkpoint: loaded, the rest reported unused (as Transformers does).
  TempDir dir("fewer");
  write_patched_config(dir.path(), "tiny-bert", {{"num_hidden_layers", 1}});
  EXPECT_FALSE(load_sequence_classifier(dir.path())->load_report().unexpected.empty());
}

TEST(Loading, HeadRowsMustMatchConfigLabels) {
  // No id2label: num_labels defaults to 2, but the trained head has 3 rows. Transformers refuses
  // it; finsent used to answer from a fresh 2-class head.
  nlohmann::json patch = {{"id2label", nullptr}, {"label2id", nullptr}};
  EXPECT_EQ(patched_config_error("tiny-bert", patch),
            "config.json: num_labels: 2 disagrees with the checkpoint: model.safetensors holds "
            "classifier.weight as [3, 32] (config.json makes it [2, 32]); config.json has no "
            "id2label, so num_labels defaults to 2");
  patch["num_labels"] = 4;
  EXPECT_EQ(patched_config_error("tiny-distilbert", patch),
            "config.json: num_labels: 4 disagrees with the checkpoint: model.safetensors holds "
            "classifier.weight as [3, 32] (config.json makes it [4, 32]); config.json has no "
            "id2label, so num_labels says 4");
  EXPECT_EQ(
      patched_config_error("tiny-bert", {{"id2label", {{"0", "down"}, {"1", "up"}, {"2", nullptr}}},
                                         {"label2id", nullptr}}),
      "config.json: id2label: 2 disagrees with the checkpoint: model.safetensors holds "
      "classifier.weight as [3, 32] (config.json makes it [2, 32])");
  // New labels asked for (train on other data): the head is replaced, as before.
  ClassifierOptions options;
  options.id2label = {"a", "b"};
  options.require_trained_head = false;  // as train loads it
  TempDir dir("relabel");
  write_patched_config(dir.path(), "tiny-bert", patch);
  EXPECT_EQ(load_sequence_classifier(dir.path(), options)->labels(), options.id2label);
}

TEST(Loading, UnexpectedWeightsAreReportedNotFatal) {
  auto tensors = fixture_tensors("tiny-bert");
  tensors["cls.predictions.bias"] = torch::zeros({61});
  tensors["bert.embeddings.position_ids"] =
      torch::arange(64).view({1, 64}).to(torch::kFloat);  // silently dropped
  TempDir dir("unexpected");
  write_model(dir.path(), "tiny-bert", tensors);
  SequenceClassifier model = load_sequence_classifier(dir.path());
  EXPECT_EQ(model->load_report().unexpected, std::vector<std::string>{"cls.predictions.bias"});
  EXPECT_NE(model->load_report()
                .summary("DIR", "BertForSequenceClassification")
                .find("Some weights of the model checkpoint at DIR were not used when initializing "
                      "BertForSequenceClassification: [cls.predictions.bias]"),
            std::string::npos);
}

TEST(Loading, LegacyGammaBetaNamesLoad) {
  auto tensors = fixture_tensors("tiny-bert");
  auto renamed = tensors;
  renamed["bert.embeddings.LayerNorm.gamma"] = renamed.at("bert.embeddings.LayerNorm.weight");
  renamed["bert.embeddings.LayerNorm.beta"] = renamed.at("bert.embeddings.LayerNorm.bias");
  renamed.erase("bert.embeddings.LayerNorm.weight");
  renamed.erase("bert.embeddings.LayerNorm.bias");
  TempDir dir("gamma");
  write_model(dir.path(), "tiny-bert", renamed);
  SequenceClassifier model = load_sequence_classifier(dir.path());
  EXPECT_TRUE(model->load_report().clean());
  EXPECT_TRUE(torch::equal(model->named_parameters()["bert.embeddings.LayerNorm.bias"],
                           tensors.at("bert.embeddings.LayerNorm.bias")));
}

TEST(Loading, OtherLabelCountReplacesTheHead) {
  ClassifierOptions options;
  options.id2label = {"down", "up"};
  // By default a head that does not fit is refused, naming the tensors.
  const std::string err = weights_error(fixture("tiny-bert"), options);
  EXPECT_NE(err.find("has no trained classification head: classifier.weight: checkpoint [3, 32] "
                     "vs model [2, 32], classifier.bias: checkpoint [3] vs model [2]; its bert "
                     "head for 2 labels (down, up) would answer at random"),
            std::string::npos)
      << err;
  options.require_trained_head = false;  // training: a new head for the two labels
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"), options);
  EXPECT_EQ(model->labels(), options.id2label);
  EXPECT_EQ(model->load_report().mismatched,
            (std::vector<std::string>{"classifier.bias: checkpoint [3] vs model [2]",
                                      "classifier.weight: checkpoint [3, 32] vs model [2, 32]"}));
  auto params = model->named_parameters();
  EXPECT_TRUE(
      torch::equal(params["classifier.bias"], torch::zeros({2})));  // Transformers' init: zero bias
  EXPECT_GT(params["classifier.weight"].abs().sum().item<double>(), 0.0);
}

TEST(Loading, WrongFamilyWeightsSayWhy) {
  TempDir dir("family");
  write_model(dir.path(), "tiny-distilbert", fixture_tensors("tiny-bert"));
  std::string err = weights_error(dir.path());
  EXPECT_NE(err.find("no weight name matched: is this checkpoint for model_type \"distilbert\"?"),
            std::string::npos)
      << err;
}

TEST(Loading, NoCheckpointIsAClearError) {
  TempDir dir("empty");
  std::filesystem::copy_file(fixture("tiny-bert") / "config.json", dir.path() / "config.json");
  EXPECT_NE(weights_error(dir.path()).find("no weights found (looked for model.safetensors"),
            std::string::npos);
  EXPECT_THROW(load_sequence_classifier(dir.path() / "absent"), ConfigError);
}

TEST(Loading, HeadChoiceAndNewHeadInitialization) {
  ClassifierOptions options;
  options.head = "linear";
  // The checkpoint's classifier was trained behind pre_classifier: on raw [CLS] states it means
  // nothing, so only training may load it that way.
  EXPECT_NE(weights_error(fixture("tiny-distilbert"), options)
                .find("has no trained linear head: its classification head is a distilbert head"),
            std::string::npos);
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-distilbert"), options);
  EXPECT_EQ(model->head_name(), "linear");
  // The checkpoint's classifier fits the linear head; its pre_classifier has no place.
  EXPECT_EQ(model->load_report().unexpected,
            (std::vector<std::string>{"pre_classifier.bias", "pre_classifier.weight"}));
  options.head = "bert";
  EXPECT_THROW(load_sequence_classifier(fixture("tiny-distilbert"), options),
               ConfigError);  // no pooler
  options.head = "cnn";
  EXPECT_THROW(load_sequence_classifier(fixture("tiny-distilbert"), options), ConfigError);
}

TEST(Loading, FreezeEncoderLeavesOnlyTheHeadTrainable) {
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"));
  EXPECT_EQ(model->trainable_parameters().size(), model->parameters().size());
  model->freeze_encoder(true);
  EXPECT_TRUE(model->encoder_frozen());
  auto trainable = model->trainable_parameters();
  ASSERT_EQ(trainable.size(), 2u);  // classifier weight and bias; the pooler belongs to BertModel
  auto head = model->head_parameters();
  ASSERT_EQ(head.size(), 2u);
  for (const auto& p : model->encoder_parameters()) EXPECT_FALSE(p.requires_grad());
  // The head module's parameters are the classifier's own tensors (an optimizer on head() trains
  // the model).
  EXPECT_TRUE(trainable[0].is_same(head[0]) || trainable[0].is_same(head[1]));
  model->freeze_encoder(false);
  EXPECT_EQ(model->trainable_parameters().size(), model->parameters().size());
}

TEST(Loading, GradientsReachOnlyTheHeadWhenFrozen) {
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-distilbert"));
  model->freeze_encoder(true);
  model->train();
  torch::Tensor ids = torch::tensor({{2, 5, 6, 3}}, torch::kLong);
  torch::Tensor logits = model->forward(ids, torch::ones_like(ids));
  logits.sum().backward();
  for (const auto& item : model->named_parameters()) {
    const bool head = item.key().rfind("distilbert.", 0) != 0;
    EXPECT_EQ(item.value().grad().defined(), head) << item.key();
  }
}

TEST(Loading, InputErrors) {
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"));
  torch::NoGradGuard no_grad;
  torch::Tensor too_long = torch::full({1, 65}, 5, torch::kLong);
  EXPECT_THROW(model->forward(too_long, torch::ones_like(too_long)), InputError);
  torch::Tensor bad_id = torch::tensor({{2, 61, 3}}, torch::kLong);
  EXPECT_THROW(model->forward(bad_id, torch::ones_like(bad_id)), InputError);
  torch::Tensor ids = torch::tensor({{2, 5, 3}}, torch::kLong);
  EXPECT_THROW(model->forward(ids, torch::ones({1, 2}, torch::kLong)), InputError);
  EXPECT_THROW(model->forward(ids, torch::ones_like(ids), torch::full_like(ids, 2)), InputError);
}

}  // namespace
}  // namespace finsent::models
