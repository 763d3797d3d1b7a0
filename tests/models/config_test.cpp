// ModelConfig: Transformers' defaults and names for both families, and clear errors for bad
// configs.
#include <gtest/gtest.h>

#include "finsent/core/error.hpp"
#include "finsent/models/bert/bert_family.hpp"
#include "finsent/models/config.hpp"
#include "finsent/models/distilbert/distilbert_family.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using nlohmann::json;

std::string config_error(const json& doc) {
  try {
    ModelConfig::from_json(doc, "config.json");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ModelConfig, ReadsTheTinyBertFixture) {
  ModelConfig c = ModelConfig::load(testing::fixture("tiny-bert"));
  EXPECT_EQ(c.model_type, "bert");
  EXPECT_EQ(c.hidden_size, 32);
  EXPECT_EQ(c.num_hidden_layers, 2);
  EXPECT_EQ(c.num_attention_heads, 4);
  EXPECT_EQ(c.intermediate_size, 64);
  EXPECT_EQ(c.vocab_size, 61);
  EXPECT_EQ(c.hidden_act, "gelu");
  EXPECT_EQ(c.id2label, (std::vector<std::string>{"negative", "neutral", "positive"}));
  EXPECT_EQ(c.architectures, std::vector<std::string>{"BertForSequenceClassification"});
  EXPECT_FALSE(c.fields<BertFields>().classifier_dropout.has_value());
  EXPECT_DOUBLE_EQ(bert_classifier_dropout(c), 0.1);
}

TEST(ModelConfig, ReadsDistilBertNamesAndDefaults) {
  ModelConfig c = ModelConfig::from_json(json{{"model_type", "distilbert"},
                                              {"dim", 64},
                                              {"n_heads", 4},
                                              {"hidden_dim", 128},
                                              {"activation", "relu"},
                                              {"dropout", 0.2},
                                              {"attention_dropout", 0.3}},
                                         "x");
  EXPECT_EQ(c.hidden_size, 64);
  EXPECT_EQ(c.num_attention_heads, 4);
  EXPECT_EQ(c.intermediate_size, 128);
  EXPECT_EQ(c.num_hidden_layers, 6);  // DistilBertConfig's default
  EXPECT_EQ(c.hidden_act, "relu");
  EXPECT_DOUBLE_EQ(c.hidden_dropout_prob, 0.2);
  EXPECT_DOUBLE_EQ(c.attention_probs_dropout_prob, 0.3);
  EXPECT_DOUBLE_EQ(c.fields<DistilBertFields>().seq_classif_dropout, 0.2);
  EXPECT_DOUBLE_EQ(c.layer_norm_eps, 1e-12);
  EXPECT_EQ(c.type_vocab_size, 0);
  EXPECT_EQ(c.id2label,
            (std::vector<std::string>{"LABEL_0", "LABEL_1"}));  // PretrainedConfig: 2 labels
  json back = c.to_json();
  EXPECT_EQ(back["dim"], 64);
  EXPECT_EQ(back["activation"], "relu");
  EXPECT_FALSE(back.contains("hidden_size"));
  EXPECT_EQ(back["label2id"]["LABEL_1"], 1);
}

TEST(ModelConfig, ToJsonRoundTripsAndKeepsUnknownKeys) {
  json doc = testing::read_json(testing::fixture("tiny-bert") / "config.json");
  ModelConfig c = ModelConfig::from_json(doc, "x");
  json back = c.to_json();
  EXPECT_EQ(back["transformers_version"], doc["transformers_version"]);
  ModelConfig again = ModelConfig::from_json(back, "y");
  EXPECT_EQ(again.to_json(), back);
  EXPECT_EQ(back["id2label"], doc["id2label"]);
  EXPECT_EQ(back["label2id"], doc["label2id"]);
}

TEST(ModelConfig, NumLabelsWithoutId2Label) {
  ModelConfig c = ModelConfig::from_json(json{{"model_type", "bert"}, {"num_labels", 3}}, "x");
  EXPECT_EQ(c.num_labels(), 3);
  EXPECT_EQ(c.id2label[2], "LABEL_2");
}

TEST(ModelConfig, RejectsBadConfigsWithTheField) {
  EXPECT_EQ(config_error(json{{"model_type", "gpt2"}}),
            "config.json: model_type: \"gpt2\" is not supported (finsent supports \"bert\", "
            "\"distilbert\", \"roberta\", \"xlm-roberta\", \"camembert\", \"electra\" and "
            "\"mpnet\")");
  EXPECT_NE(config_error(json{{"hidden_size", 10}}).find("model_type: missing"), std::string::npos);
  EXPECT_EQ(
      config_error(json{{"model_type", "bert"}, {"hidden_size", 100}, {"num_attention_heads", 12}}),
      "config.json: hidden_size: 100 is not a multiple of num_attention_heads (12)");
  EXPECT_EQ(config_error(json{{"model_type", "distilbert"}, {"dim", 100}, {"n_heads", 12}}),
            "config.json: dim: 100 is not a multiple of n_heads (12)");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"hidden_act", "swish"}}),
            "config.json: hidden_act: \"swish\" is not supported (gelu, gelu_new, relu)");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"hidden_dropout_prob", 1.5}}),
            "config.json: hidden_dropout_prob: must be in [0, 1)");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"num_hidden_layers", "12"}}),
            "config.json: num_hidden_layers: expected an integer, got \"12\"");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"layer_norm_eps", -1.0}}),
            "config.json: layer_norm_eps: must be positive");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"layer_norm_eps", std::nan("")}}),
            "config.json: layer_norm_eps: not a finite number");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"vocab_size", 10}, {"pad_token_id", 10}}),
            "config.json: pad_token_id: 10 is outside the vocabulary of 10");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"id2label", {{"0", "a"}, {"2", "b"}}}}),
            "config.json: id2label: indices must be 0..1");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"id2label", {{"0", "a"}, {"1", "a"}}}}),
            "config.json: id2label: labels must be distinct");
  EXPECT_EQ(config_error(json{{"model_type", "bert"}, {"position_embedding_type", "relative_key"}}),
            "config.json: position_embedding_type: \"relative_key\" is not supported (only "
            "\"absolute\")");
}

TEST(ModelConfig, LoadReportsInvalidJsonAndMissingFiles) {
  testing::TempDir dir("config");
  std::ofstream(dir.path() / "config.json")
      << "{\"model_type\": \"bert\", \"layer_norm_eps\": NaN}";
  try {
    ModelConfig::load(dir.path());
    FAIL() << "NaN accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("config.json: invalid JSON"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(ModelConfig::load(dir.path() / "nowhere"), ConfigError);
}

}  // namespace
}  // namespace finsent::models
