// `--head auto`: sentence-transformers pooling from modules.json + 1_Pooling/config.json, the
// family head otherwise; strict refusal of directories without a trained head.
#include <gtest/gtest.h>

#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/io/safetensors.hpp"
#include "finsent/models/head_resolution.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::fixture;
using testing::TempDir;

void write_json(const fs::path& file, const json& doc) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << doc.dump(2);
}

// sentence-transformers' modules.json of all-MiniLM-L6-v2 (Transformer, Pooling, Normalize).
json minilm_modules() {
  return json::array({{{"idx", 0},
                       {"name", "0"},
                       {"path", ""},
                       {"type", "sentence_transformers.models.Transformer"}},
                      {{"idx", 1},
                       {"name", "1"},
                       {"path", "1_Pooling"},
                       {"type", "sentence_transformers.models.Pooling"}},
                      {{"idx", 2},
                       {"name", "2"},
                       {"path", "2_Normalize"},
                       {"type", "sentence_transformers.models.Normalize"}}});
}

// all-MiniLM-L6-v2's 1_Pooling/config.json with `mode` set (none when empty), for hidden size 24.
json pooling(const std::string& mode, int64_t dimension = 24) {
  json p = {{"word_embedding_dimension", dimension},
            {"pooling_mode_cls_token", false},
            {"pooling_mode_mean_tokens", false},
            {"pooling_mode_max_tokens", false},
            {"pooling_mode_mean_sqrt_len_tokens", false}};
  if (!mode.empty()) p[mode] = true;
  return p;
}

// tiny-bert-base (a BertModel, hidden 24) as a sentence-transformers directory.
void sentence_transformers_dir(const fs::path& dir, const json& pooling_config,
                               const json& modules = minilm_modules()) {
  for (const char* f : {"config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json"})
    fs::copy_file(fixture("tiny-bert-base") / f, dir / f, fs::copy_options::overwrite_existing);
  write_json(dir / "modules.json", modules);
  write_json(dir / "1_Pooling" / "config.json", pooling_config);
}

std::string config_error(const fs::path& dir) {
  try {
    auto_head(dir, ModelConfig::load(dir));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(HeadResolution, SentenceTransformersPoolingPicksTheHead) {
  TempDir mean("st-mean");
  sentence_transformers_dir(mean.path(), pooling("pooling_mode_mean_tokens"));
  EXPECT_EQ(auto_head(mean.path(), ModelConfig::load(mean.path())), "mean");
  TempDir cls("st-cls");
  sentence_transformers_dir(cls.path(), pooling("pooling_mode_cls_token"));
  EXPECT_EQ(auto_head(cls.path(), ModelConfig::load(cls.path())), "linear");

  // The loader builds that head (what train starts from): mean pooling over the real tokens.
  ClassifierOptions options;
  options.require_trained_head = false;
  SequenceClassifier model = load_sequence_classifier(mean.path(), options);
  EXPECT_EQ(model->head_name(), "mean");
  torch::NoGradGuard no_grad;
  const torch::Tensor ids = torch::tensor({{2, 5, 6, 3, 0}}, torch::kLong);
  const torch::Tensor mask = torch::tensor({{1, 1, 1, 1, 0}}, torch::kLong);
  const torch::Tensor hidden = model->encoder()->forward(ids, mask, torch::Tensor());
  EXPECT_TRUE(torch::allclose(model->features(ids, mask), hidden.slice(1, 0, 4).mean(1)));
  // An explicit --head is taken as given.
  EXPECT_EQ(resolve_head(mean.path(), ModelConfig::load(mean.path()), "bert"), "bert");
}

TEST(HeadResolution, DefaultsWithoutSentenceTransformersFilesAreTheFamilyHeads) {
  EXPECT_EQ(auto_head(fixture("tiny-bert-base"), ModelConfig::load(fixture("tiny-bert-base"))),
            "bert");
  EXPECT_EQ(auto_head(fixture("tiny-bert"), ModelConfig::load(fixture("tiny-bert"))), "bert");
  EXPECT_EQ(auto_head(fixture("tiny-distilbert"), ModelConfig::load(fixture("tiny-distilbert"))),
            "distilbert");
  // modules.json without a Pooling module: not a pooled sentence encoder.
  TempDir no_pool("st-no-pool");
  sentence_transformers_dir(no_pool.path(), pooling("pooling_mode_max_tokens"),
                            json::array({minilm_modules()[0]}));
  EXPECT_EQ(auto_head(no_pool.path(), ModelConfig::load(no_pool.path())), "bert");
}

TEST(HeadResolution, ATrainedClassifierKeepsItsOwnHeadOverThePooling) {
  TempDir dir("st-classifier");
  for (const auto& e : fs::directory_iterator(fixture("tiny-bert")))
    fs::copy_file(e.path(), dir.path() / e.path().filename());
  write_json(dir.path() / "modules.json", minilm_modules());
  write_json(dir.path() / "1_Pooling" / "config.json", pooling("pooling_mode_mean_tokens", 32));
  // architectures: BertForSequenceClassification -> its bert head was trained, not mean pooling.
  EXPECT_EQ(auto_head(dir.path(), ModelConfig::load(dir.path())), "bert");
  SequenceClassifier model = load_sequence_classifier(dir.path());
  EXPECT_EQ(model->head_name(), "bert");
}

TEST(HeadResolution, PoolingsFinsentDoesNotImplementAreRefusedInOneLine) {
  for (const std::string mode : {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                                 "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
    SCOPED_TRACE(mode);
    TempDir dir("st-unsupported");
    sentence_transformers_dir(dir.path(), pooling(mode));
    const std::string err = config_error(dir.path());
    EXPECT_NE(
        err.find("1_Pooling/config.json: " + mode + ": finsent does not implement this pooling"),
        std::string::npos)
        << err;
    EXPECT_EQ(err.find('\n'), std::string::npos);
    // Loading (any command) refuses it too, before building anything.
    EXPECT_THROW(load_sequence_classifier(dir.path()), ConfigError);
  }
}

TEST(HeadResolution, MalformedPoolingConfigsSayWhichFileAndField) {
  const std::vector<std::pair<json, std::string>> cases = {
      {pooling(""), "no pooling_mode_* is true"},
      {[] {
         json p = pooling("pooling_mode_mean_tokens");
         p["pooling_mode_cls_token"] = true;
         return p;
       }(),
       "pooling_mode_cls_token and pooling_mode_mean_tokens are both true"},
      {pooling("pooling_mode_mean_tokens", 384),
       "word_embedding_dimension: 384 disagrees with config.json's hidden size 24"},
      {[] {
         json p = pooling("pooling_mode_mean_tokens");
         p["pooling_mode_mean_tokens"] = "yes";
         return p;
       }(),
       "pooling_mode_mean_tokens: expected true or false"},
  };
  for (const auto& [config, want] : cases) {
    SCOPED_TRACE(want);
    TempDir dir("st-bad");
    sentence_transformers_dir(dir.path(), config);
    const std::string err = config_error(dir.path());
    EXPECT_NE(err.find("config.json: " + want), std::string::npos) << err;
  }
  TempDir bad_json("st-bad-json");
  sentence_transformers_dir(bad_json.path(), pooling("pooling_mode_mean_tokens"));
  std::ofstream(bad_json.path() / "modules.json") << "[{\"type\": ";
  EXPECT_NE(config_error(bad_json.path()).find("modules.json: not valid JSON"), std::string::npos);
  TempDir escape("st-escape");
  json modules = minilm_modules();
  modules[1]["path"] = "../elsewhere";
  sentence_transformers_dir(escape.path(), pooling("pooling_mode_mean_tokens"), modules);
  EXPECT_NE(config_error(escape.path()).find("must be a folder inside the model directory"),
            std::string::npos);
  TempDir missing("st-missing");
  sentence_transformers_dir(missing.path(), pooling("pooling_mode_mean_tokens"));
  fs::remove_all(missing.path() / "1_Pooling");
  EXPECT_NE(config_error(missing.path()).find("1_Pooling/config.json: cannot open"),
            std::string::npos);
}

TEST(TrainedHead, HeadTensorNamesAreTheHeadsParametersAndTheBertPooler) {
  ClassifierOptions options;
  options.require_trained_head = false;
  EXPECT_EQ(load_sequence_classifier(fixture("tiny-bert"), options)->head_tensor_names(),
            (std::vector<std::string>{"classifier.weight", "classifier.bias",
                                      "bert.pooler.dense.weight", "bert.pooler.dense.bias"}));
  EXPECT_EQ(load_sequence_classifier(fixture("tiny-distilbert"), options)->head_tensor_names(),
            (std::vector<std::string>{"pre_classifier.weight", "pre_classifier.bias",
                                      "classifier.weight", "classifier.bias"}));
  options.head = "mean";
  EXPECT_EQ(load_sequence_classifier(fixture("tiny-bert"), options)->head_tensor_names(),
            (std::vector<std::string>{"mean_classifier.weight", "mean_classifier.bias"}));
}

TEST(TrainedHead, BaseEncodersAndIncompleteHeadsAreRefused) {
  const auto error_of = [](const fs::path& dir) -> std::string {
    try {
      load_sequence_classifier(dir);
    } catch (const WeightsError& e) {
      return e.what();
    }
    return "no error";
  };
  const std::string base = error_of(fixture("tiny-bert-base"));
  EXPECT_NE(base.find("tiny-bert-base has no trained classification head: classifier.weight (not "
                      "in the checkpoint), classifier.bias (not in the checkpoint); its bert head "
                      "for 2 labels (LABEL_0, LABEL_1) would answer at random. Only `finsent "
                      "train --model "),
            std::string::npos)
      << base;
  EXPECT_NE(base.find("` starts a head from scratch"), std::string::npos) << base;

  // A classifier checkpoint lacking part of its head: DistilBERT without pre_classifier, BERT
  // without the pooler its head reads.
  for (const auto& [source, drop] : {std::pair{"tiny-distilbert", "pre_classifier.weight"},
                                     std::pair{"tiny-bert", "bert.pooler.dense.weight"}}) {
    SCOPED_TRACE(drop);
    TempDir dir("incomplete");
    fs::copy_file(fixture(source) / "config.json", dir.path() / "config.json");
    auto src = open_checkpoint(fixture(source));
    std::vector<torch::Tensor> keep;
    std::vector<io::TensorToWrite> out;
    for (const auto& name : src->names()) {
      if (name == drop) continue;
      keep.push_back(src->get(name).contiguous());
      out.push_back(
          {name, io::DType::F32, keep.back().sizes().vec(),
           std::span<const std::byte>(static_cast<const std::byte*>(keep.back().data_ptr()),
                                      keep.back().nbytes())});
    }
    io::save_safetensors(dir.path() / "model.safetensors", out);
    const std::string err = error_of(dir.path());
    EXPECT_NE(err.find("has no trained classification head: " + std::string(drop) +
                       " (not in the checkpoint)"),
              std::string::npos)
        << err;
  }
}

}  // namespace
}  // namespace finsent::models
