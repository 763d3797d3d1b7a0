// Adding a model family is one folder and one registry line: a toy family, written and registered
// in this file alone through the public API (family.hpp, registry.hpp), goes through the generic
// code unchanged: config.json under its own field names with its own field, the header shape
// checks, build, forward in eval and training mode, save_pretrained -> load with its own
// Transformers-style head (nested under "classifier", RoBERTa-shaped) and with the linear head
// folded into it, an alias model_type, --head by name, and the messages that list families and
// heads. Its own binary, so the toy does not show in the other tests' messages.
#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "finsent/core/error.hpp"
#include "finsent/models/family.hpp"
#include "finsent/models/head_resolution.hpp"
#include "finsent/models/linear_fold.hpp"
#include "finsent/models/registry.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/models/text_classifier.hpp"
#include "finsent/ops/activation.hpp"
#include "finsent/text/tokenizer.hpp"
#include "model_test_util.hpp"

namespace toy {

using finsent::models::ModelConfig;
namespace nn = torch::nn;

// The toy's own config.json field, beyond ModelConfig's.
struct ToyFields {
  double embedding_scale = 1.0;  // multiplies the token embeddings
};

// One block: x + down(act(up(x))), then LayerNorm.
class ToyBlockImpl : public nn::Module {
 public:
  explicit ToyBlockImpl(const ModelConfig& c)
      : activation(finsent::ops::activation_from_name(c.hidden_act)) {
    up = register_module("up", nn::Linear(c.hidden_size, c.intermediate_size));
    down = register_module("down", nn::Linear(c.intermediate_size, c.hidden_size));
    norm = register_module(
        "norm", nn::LayerNorm(nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return norm(x + down(finsent::ops::activate(up(x), activation)));
  }
  nn::Linear up{nullptr}, down{nullptr};
  nn::LayerNorm norm{nullptr};
  finsent::ops::Activation activation;
};
TORCH_MODULE(ToyBlock);

// The encoder: scaled token + position embeddings, then the blocks ("blocks.0", ...).
class ToyModelImpl : public finsent::models::EncoderImpl {
 public:
  explicit ToyModelImpl(ModelConfig c) : config_(std::move(c)) {
    tokens = register_module(
        "tokens", nn::Embedding(nn::EmbeddingOptions(config_.vocab_size, config_.hidden_size)
                                    .padding_idx(config_.pad_token_id)));
    positions = register_module(
        "positions", nn::Embedding(config_.max_position_embeddings, config_.hidden_size));
    blocks = register_module("blocks", nn::ModuleList());
    for (int64_t i = 0; i < config_.num_hidden_layers; ++i) blocks->push_back(ToyBlock(config_));
  }
  torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                        const torch::Tensor&) override {
    finsent::models::detail::check_encoder_inputs(config_, input_ids, attention_mask);
    const double scale = config_.fields<ToyFields>().embedding_scale;
    torch::Tensor x = tokens(input_ids) * scale +
                      positions(torch::arange(input_ids.size(1), input_ids.options()));
    for (const auto& block : *blocks) x = block->as<ToyBlockImpl>()->forward(x);
    return x;
  }
  const ModelConfig& config() const override { return config_; }
  nn::Embedding tokens{nullptr}, positions{nullptr};
  nn::ModuleList blocks{nullptr};

 private:
  ModelConfig config_;
};

// The toy's Transformers-style head, shaped as RobertaClassificationHead: "classifier.dense",
// tanh, dropout, "classifier.out_proj" on the first position.
class ToyHeadLayersImpl : public nn::Module {
 public:
  ToyHeadLayersImpl(const ModelConfig& c, int64_t num_labels) {
    dense = register_module("dense", nn::Linear(c.hidden_size, c.hidden_size));
    dropout = register_module("dropout", nn::Dropout(c.hidden_dropout_prob));
    out_proj = register_module("out_proj", nn::Linear(c.hidden_size, num_labels));
  }
  nn::Linear dense{nullptr}, out_proj{nullptr};
  nn::Dropout dropout{nullptr};
};
TORCH_MODULE(ToyHeadLayers);

class ToyClassificationHeadImpl : public finsent::models::HeadImpl {
 public:
  explicit ToyClassificationHeadImpl(const ModelConfig& c)
      : HeadImpl("toy", finsent::models::HeadInput::FirstToken) {
    layers = register_module("classifier", ToyHeadLayers(c, c.num_labels()));
  }
  nn::Linear& classifier() override { return layers->out_proj; }
  nn::Linear& input_projection() override { return layers->dense; }
  ToyHeadLayers layers{nullptr};

 protected:
  torch::Tensor project(const torch::Tensor& x) override {
    return layers->out_proj(layers->dropout(torch::tanh(layers->dense(layers->dropout(x)))));
  }
};

// The linear head as the toy head: dense = eps I (tanh is the identity on eps x), out_proj W / eps.
void fold(const ModelConfig& c, std::map<std::string, torch::Tensor>& state) {
  const std::string norm = "toy.blocks." + std::to_string(c.num_hidden_layers - 1) + ".norm";
  const torch::Tensor bound = finsent::models::layer_norm_output_bound(
      state.at(norm + ".weight"), state.at(norm + ".bias"), c.hidden_size);
  const double eps = finsent::models::tanh_identity_scale(bound.max().item<double>());
  const torch::Tensor w = state.at("classifier.weight").to(torch::kDouble);
  state["classifier.out_proj.weight"] = (w / eps).to(torch::kFloat).contiguous();
  state["classifier.out_proj.bias"] = state.at("classifier.bias");
  state["classifier.dense.weight"] =
      (torch::eye(c.hidden_size, torch::kDouble) * eps).to(torch::kFloat).contiguous();
  state["classifier.dense.bias"] = torch::zeros({c.hidden_size});
  state.erase("classifier.weight");
  state.erase("classifier.bias");
}

std::pair<torch::Tensor, torch::Tensor> unfold(
    const ModelConfig& c, const torch::OrderedDict<std::string, torch::Tensor>& params) {
  const torch::Tensor dense = params["classifier.dense.weight"].to(torch::kDouble);
  const double eps = dense[0][0].item<double>();
  if (!(eps > 0) || !torch::equal(dense, torch::eye(c.hidden_size, torch::kDouble) * eps))
    throw finsent::WeightsError("not a folded linear head");
  return {params["classifier.out_proj.weight"].to(torch::kDouble) * eps,
          params["classifier.out_proj.bias"].to(torch::kDouble)};
}

finsent::models::ModelFamily family() {
  using namespace finsent::models;
  ModelFamily f;
  f.model_types = {{"toy", "ToyForSequenceClassification", "ToyModel"},
                   {"toy-mini", "ToyMiniForSequenceClassification", "ToyMiniModel"}};
  f.prefix = "toy";
  f.config.names.hidden_size = "width";
  f.config.names.num_hidden_layers = "depth";
  f.config.names.num_attention_heads = "heads";
  f.config.names.intermediate_size = "ffn";
  f.config.names.type_vocab_size = "";
  f.config.names.layer_norm_eps = "norm_eps";
  f.config.defaults = [](ModelConfig& c) {
    c.num_hidden_layers = 2;
    c.type_vocab_size = 0;
    c.layer_norm_eps = 1e-5;
  };
  f.config.read = [](const ConfigReader& r, ModelConfig& c) {
    r.number("embedding_scale", c.mutable_fields<ToyFields>().embedding_scale);
  };
  f.config.validate = [](const ModelConfig& c, const ConfigChecks& check) {
    check.positive("embedding_scale", c.fields<ToyFields>().embedding_scale);
  };
  f.config.write = [](const ModelConfig& c, nlohmann::json& doc) {
    doc["embedding_scale"] = c.fields<ToyFields>().embedding_scale;
  };
  f.build = [](const ModelConfig& c) -> std::shared_ptr<EncoderImpl> {
    return std::make_shared<ToyModelImpl>(c);
  };
  f.shapes = [](const ModelConfig& c) {
    FamilyShapes s;
    s.probes = {
        pinned_probe("tokens.weight", {c.vocab_size, c.hidden_size}, {"vocab_size", "width"}),
        pinned_probe("positions.weight", {c.max_position_embeddings, c.hidden_size},
                     {"max_position_embeddings", "width"}),
        pinned_probe("blocks.0.up.weight", {c.intermediate_size, c.hidden_size}, {"ffn", "width"})};
    s.layer_prefix = "blocks.";
    s.layers_field = "depth";
    s.layers = c.num_hidden_layers;
    return s;
  };
  f.head = {"toy", {"classifier"}, "classifier.out_proj", [](const ModelConfig& c, double) {
              return std::make_shared<ToyClassificationHeadImpl>(c);
            }};
  f.linear_fold = {&fold, &unfold};
  return f;
}

}  // namespace toy

namespace finsent::models {
namespace {

using nlohmann::json;
using testing::fixture;
using testing::max_abs_diff;
using testing::TempDir;

void register_toy() {
  static const bool registered = (register_family(toy::family()), true);
  (void)registered;
}

// A toy config.json document: 61 tokens (the tiny-bert fixture's vocabulary), width 8.
json toy_config(const std::string& model_type = "toy") {
  return json{{"model_type", model_type},
              {"vocab_size", 61},
              {"width", 8},
              {"depth", 2},
              {"heads", 2},
              {"ffn", 16},
              {"hidden_act", "gelu"},
              {"max_position_embeddings", 16},
              {"embedding_scale", 0.5},
              {"hidden_dropout_prob", 0.0},
              {"id2label", {{"0", "negative"}, {"1", "neutral"}, {"2", "positive"}}}};
}

std::string config_error(const json& doc) {
  try {
    ModelConfig::from_json(doc, "config.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

// A toy classifier with `head`, its weights drawn so that outputs differ clearly between inputs.
SequenceClassifier toy_classifier(const std::string& head, const std::string& model_type = "toy") {
  const ModelConfig c = ModelConfig::from_json(toy_config(model_type), "toy");
  torch::manual_seed(3);
  Encoder encoder = make_encoder(c);
  auto model = std::make_shared<SequenceClassifierImpl>(c, encoder, make_head(head, c, 0.1));
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) p.normal_(0.0, 0.5);
  model->eval();
  return SequenceClassifier(model);
}

// The toy mixes no positions, so the rows differ at the first one, which its heads read.
const torch::Tensor& ids() {
  static const torch::Tensor t = torch::tensor({2, 7, 9, 13, 3, 5, 21, 3, 0, 0}).view({2, 5});
  return t;
}
const torch::Tensor& mask() {
  static const torch::Tensor t = torch::tensor({1, 1, 1, 1, 1, 1, 1, 1, 0, 0}).view({2, 5});
  return t;
}

void save(SequenceClassifierImpl& model, const std::filesystem::path& dir) {
  save_pretrained(model, *text::load_tokenizer(fixture("tiny-bert")), dir);
}

json read_config(const std::filesystem::path& dir) {
  return testing::read_json(dir / "config.json");
}

TEST(ToyFamily, ConfigUnderItsOwnNamesAndDefaults) {
  register_toy();
  const ModelConfig c = ModelConfig::from_json(toy_config(), "toy");
  EXPECT_EQ(c.hidden_size, 8);
  EXPECT_EQ(c.num_hidden_layers, 2);
  EXPECT_EQ(c.intermediate_size, 16);
  EXPECT_EQ(c.type_vocab_size, 0);           // the toy's default: no token types
  EXPECT_DOUBLE_EQ(c.layer_norm_eps, 1e-5);  // the toy's default
  EXPECT_DOUBLE_EQ(c.fields<toy::ToyFields>().embedding_scale, 0.5);
  const json back = c.to_json();
  EXPECT_EQ(back["width"], 8);
  EXPECT_EQ(back["ffn"], 16);
  EXPECT_EQ(back["embedding_scale"], 0.5);
  EXPECT_EQ(back["norm_eps"], 1e-5);
  EXPECT_FALSE(back.contains("hidden_size"));
  EXPECT_FALSE(back.contains("type_vocab_size"));
  EXPECT_EQ(ModelConfig::from_json(back, "again").to_json(), back);

  json bad = toy_config();
  bad["embedding_scale"] = 0;
  EXPECT_EQ(config_error(bad), "config.json: embedding_scale: must be positive");
  bad = toy_config();
  bad["width"] = 9;
  EXPECT_EQ(config_error(bad), "config.json: width: 9 is not a multiple of heads (2)");
  bad = toy_config();
  bad["embedding_scale"] = "big";
  EXPECT_EQ(config_error(bad), "config.json: embedding_scale: expected a number, got \"big\"");
}

TEST(ToyFamily, MessagesListItsModelTypesAndHead) {
  register_toy();
  EXPECT_EQ(config_error(json{{"model_type", "gpt2"}}),
            "config.json: model_type: \"gpt2\" is not supported (finsent supports \"bert\", "
            "\"distilbert\", \"roberta\", \"xlm-roberta\", \"camembert\", \"electra\", "
            "\"mpnet\", \"toy\" and \"toy-mini\")");
  EXPECT_EQ(head_choices(),
            "auto | bert | distilbert | roberta | electra | mpnet | toy | linear | mean");
  EXPECT_EQ(head_kind("toy").projection, "classifier.out_proj");
  EXPECT_EQ(&model_family("toy-mini"), &model_family("toy"));
  EXPECT_THROW(register_family(toy::family()), std::invalid_argument);  // model_type taken
  ModelFamily linear_named = toy::family();
  linear_named.model_types = {{"toy2", "Toy2ForSequenceClassification", "Toy2Model"}};
  linear_named.head.name = "linear";
  EXPECT_THROW(register_family(linear_named), std::invalid_argument);  // a reserved head name
}

TEST(ToyFamily, ForwardInEvalAndTraining) {
  register_toy();
  SequenceClassifier model = toy_classifier("toy");
  EXPECT_EQ(model->head_name(), "toy");
  std::vector<std::string> names;
  for (const auto& p : model->named_parameters()) names.push_back(p.key());
  EXPECT_NE(std::find(names.begin(), names.end(), "toy.blocks.1.norm.weight"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "classifier.out_proj.weight"), names.end());
  const torch::Tensor logits = model->forward(ids(), mask());
  EXPECT_EQ(logits.sizes(), (std::vector<int64_t>{2, 3}));
  EXPECT_GT((logits[0] - logits[1]).abs().max().item<double>(), 1e-3);
  model->train();
  const torch::Tensor trained = model->forward(ids(), mask());
  trained.sum().backward();
  EXPECT_TRUE(model->head()->classifier()->weight.grad().defined());
  EXPECT_EQ(model->head_tensor_names(),
            (std::vector<std::string>{"classifier.dense.weight", "classifier.dense.bias",
                                      "classifier.out_proj.weight", "classifier.out_proj.bias"}));
}

TEST(ToyFamily, SavedWithItsHeadLoadsBackWithTheSameLogits) {
  register_toy();
  SequenceClassifier model = toy_classifier("toy");
  TempDir dir("toy-head");
  save(*model, dir.path());
  const json config = read_config(dir.path());
  EXPECT_EQ(config["architectures"], json::array({"ToyForSequenceClassification"}));
  EXPECT_EQ(config["width"], 8);
  EXPECT_FALSE(config.contains("finsent_head"));

  SequenceClassifier again = load_sequence_classifier(dir.path());
  EXPECT_EQ(again->head_name(), "toy");
  EXPECT_TRUE(again->load_report().clean()) << again->load_report().summary("toy", "toy");
  EXPECT_TRUE(torch::equal(again->forward(ids(), mask()), model->forward(ids(), mask())));

  auto classifier = TextClassifier::load(dir.path());
  const auto predictions = classifier.predict({"the profit rose", "the loss widened"});
  ASSERT_EQ(predictions.size(), 2u);
  EXPECT_EQ(predictions[0].probabilities.size(), 3u);
}

TEST(ToyFamily, LinearHeadIsStoredAsTheToyHeadAndComesBack) {
  register_toy();
  SequenceClassifier model = toy_classifier(kLinearHead);
  TempDir dir("toy-linear");
  save(*model, dir.path());
  EXPECT_EQ(read_config(dir.path())["finsent_head"], "linear");

  SequenceClassifier again = load_sequence_classifier(dir.path());
  EXPECT_EQ(again->head_name(), "linear");
  EXPECT_TRUE(
      torch::equal(again->head()->classifier()->weight, model->head()->classifier()->weight));
  EXPECT_LE(max_abs_diff(again->forward(ids(), mask()), model->forward(ids(), mask())), 1e-5);

  // The stored form is the toy head computing the same logits (what a Transformers port would
  // read).
  ClassifierOptions as_toy;
  as_toy.head = "toy";
  as_toy.require_trained_head = false;
  SequenceClassifier stored = load_sequence_classifier(dir.path(), as_toy);
  EXPECT_EQ(stored->head_name(), "toy");
  EXPECT_LE(max_abs_diff(stored->forward(ids(), mask()), model->forward(ids(), mask())), 1e-5);
}

TEST(ToyFamily, AnAliasKeepsItsOwnNames) {
  register_toy();
  SequenceClassifier model = toy_classifier("toy", "toy-mini");
  TempDir dir("toy-alias");
  save(*model, dir.path());
  const json config = read_config(dir.path());
  EXPECT_EQ(config["model_type"], "toy-mini");
  EXPECT_EQ(config["architectures"], json::array({"ToyMiniForSequenceClassification"}));
  EXPECT_EQ(auto_head(dir.path(), ModelConfig::load(dir.path())), "toy");
  SequenceClassifier again = load_sequence_classifier(dir.path());
  EXPECT_TRUE(torch::equal(again->forward(ids(), mask()), model->forward(ids(), mask())));
}

TEST(ToyFamily, CheckpointShapesAndHeadRowsAreChecked) {
  register_toy();
  SequenceClassifier model = toy_classifier("toy");
  TempDir dir("toy-shapes");
  save(*model, dir.path());

  json wide = read_config(dir.path());
  wide["width"] = 16;
  std::ofstream(dir.path() / "config.json") << wide.dump();
  try {
    load_sequence_classifier(dir.path());
    FAIL() << "a width the checkpoint does not have was accepted";
  } catch (const WeightsError& e) {
    EXPECT_NE(std::string(e.what()).find("config.json: width: 16 disagrees with the checkpoint"),
              std::string::npos)
        << e.what();
  }

  // Training for two labels replaces the three-label projection, and says so.
  json two = read_config(dir.path());
  two["width"] = 8;
  std::ofstream(dir.path() / "config.json") << two.dump();
  ClassifierOptions options;
  options.id2label = {"down", "up"};
  options.require_trained_head = false;
  SequenceClassifier retrained = load_sequence_classifier(dir.path(), options);
  EXPECT_EQ(
      retrained->untrained_head_tensors(),
      (std::vector<std::string>{"classifier.out_proj.weight: checkpoint [3, 8] vs model [2, 8]",
                                "classifier.out_proj.bias: checkpoint [3] vs model [2]"}));
}

}  // namespace
}  // namespace finsent::models
