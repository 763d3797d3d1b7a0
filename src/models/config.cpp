// Reading, validating and writing config.json for BERT and DistilBERT.
#include "finsent/models/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>

#include "finsent/core/error.hpp"

namespace finsent::models {
namespace {

using nlohmann::json;

// Field names per model type: {bert name, distilbert name}.
struct Names {
  const char* hidden_size;
  const char* num_hidden_layers;
  const char* num_attention_heads;
  const char* intermediate_size;
  const char* hidden_act;
  const char* hidden_dropout_prob;
  const char* attention_probs_dropout_prob;
};
constexpr Names kBertNames{
    "hidden_size", "num_hidden_layers",   "num_attention_heads",         "intermediate_size",
    "hidden_act",  "hidden_dropout_prob", "attention_probs_dropout_prob"};
constexpr Names kDistilBertNames{"dim",        "n_layers", "n_heads",          "hidden_dim",
                                 "activation", "dropout",  "attention_dropout"};

const Names& names_for(const std::string& model_type) {
  return model_type == "distilbert" ? kDistilBertNames : kBertNames;
}

class Reader {
 public:
  Reader(const json& doc, const std::string& origin) : doc_(doc), origin_(origin) {}

  [[noreturn]] void fail(const std::string& field, const std::string& why) const {
    throw ConfigError(origin_ + ": " + field + ": " + why);
  }

  bool has(const char* key) const { return doc_.contains(key) && !doc_.at(key).is_null(); }

  void integer(const char* key, int64_t& out) const {
    if (!has(key)) return;
    const json& v = doc_.at(key);
    if (!v.is_number_integer()) fail(key, "expected an integer, got " + v.dump());
    if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      fail(key, v.dump() + " is out of range");
    out = v.get<int64_t>();
  }

  void number(const char* key, double& out) const {
    if (!has(key)) return;
    const json& v = doc_.at(key);
    if (!v.is_number()) fail(key, "expected a number, got " + v.dump());
    out = v.get<double>();
    if (!std::isfinite(out)) fail(key, "not a finite number");
  }

  void number(const char* key, std::optional<double>& out) const {
    if (!has(key)) return;
    double v = 0;
    number(key, v);
    out = v;
  }

  void string(const char* key, std::string& out) const {
    if (!has(key)) return;
    const json& v = doc_.at(key);
    if (!v.is_string()) fail(key, "expected a string, got " + v.dump());
    out = v.get<std::string>();
  }

  void boolean(const char* key, bool& out) const {
    if (!has(key)) return;
    const json& v = doc_.at(key);
    if (!v.is_boolean()) fail(key, "expected true or false, got " + v.dump());
    out = v.get<bool>();
  }

  std::vector<std::string> labels() const {
    if (has("id2label")) {
      const json& v = doc_.at("id2label");
      if (!v.is_object()) fail("id2label", "expected an object {\"0\": label, ...}");
      std::map<int64_t, std::string> by_id;
      for (auto it = v.begin(); it != v.end(); ++it) {
        int64_t id = -1;
        std::istringstream key(it.key());
        if (!(key >> id) || !key.eof() || id < 0)
          fail("id2label", "key \"" + it.key() + "\" is not an index");
        if (!it.value().is_string()) fail("id2label", "label of " + it.key() + " is not a string");
        by_id[id] = it.value().get<std::string>();
      }
      std::vector<std::string> out;
      for (const auto& [id, label] : by_id) {
        if (id != static_cast<int64_t>(out.size()))
          fail("id2label", "indices must be 0.." + std::to_string(by_id.size() - 1));
        out.push_back(label);
      }
      if (has("num_labels")) {
        int64_t n = 0;
        integer("num_labels", n);
        if (n != static_cast<int64_t>(out.size()))
          fail("num_labels",
               std::to_string(n) + " disagrees with id2label's " + std::to_string(out.size()));
      }
      return out;
    }
    int64_t n = 2;  // PretrainedConfig's default
    integer("num_labels", n);
    if (n < 1 || n > 100000) fail("num_labels", "must be in 1..100000");
    std::vector<std::string> out;
    for (int64_t i = 0; i < n; ++i) out.push_back("LABEL_" + std::to_string(i));
    return out;
  }

 private:
  const json& doc_;
  const std::string& origin_;
};

}  // namespace

ModelConfig ModelConfig::from_json(const json& doc, const std::string& origin) {
  if (!doc.is_object()) throw ConfigError(origin + ": expected a JSON object");
  Reader r(doc, origin);
  ModelConfig c;
  if (!r.has("model_type"))
    r.fail("model_type", "missing (finsent supports \"bert\" and \"distilbert\")");
  r.string("model_type", c.model_type);
  if (c.model_type != "bert" && c.model_type != "distilbert")
    r.fail("model_type", "\"" + c.model_type +
                             "\" is not supported (finsent supports \"bert\" and \"distilbert\")");
  const bool distil = c.model_type == "distilbert";
  if (distil) {
    c.num_hidden_layers = 6;
    c.type_vocab_size = 0;
    c.hidden_dropout_prob = 0.1;
  }
  const Names& n = names_for(c.model_type);

  if (r.has("architectures")) {
    const json& a = doc.at("architectures");
    if (!a.is_array()) r.fail("architectures", "expected a list of class names");
    for (const auto& e : a) {
      if (!e.is_string()) r.fail("architectures", "expected a list of class names");
      c.architectures.push_back(e.get<std::string>());
    }
  }
  r.integer("vocab_size", c.vocab_size);
  r.integer(n.hidden_size, c.hidden_size);
  r.integer(n.num_hidden_layers, c.num_hidden_layers);
  r.integer(n.num_attention_heads, c.num_attention_heads);
  r.integer(n.intermediate_size, c.intermediate_size);
  r.string(n.hidden_act, c.hidden_act);
  r.number(n.hidden_dropout_prob, c.hidden_dropout_prob);
  r.number(n.attention_probs_dropout_prob, c.attention_probs_dropout_prob);
  r.integer("max_position_embeddings", c.max_position_embeddings);
  r.integer("pad_token_id", c.pad_token_id);
  r.number("initializer_range", c.initializer_range);
  if (distil) {
    r.number("seq_classif_dropout", c.seq_classif_dropout);
    r.boolean("sinusoidal_pos_embds", c.sinusoidal_pos_embds);
  } else {
    r.integer("type_vocab_size", c.type_vocab_size);
    r.number("layer_norm_eps", c.layer_norm_eps);
    r.number("classifier_dropout", c.classifier_dropout);
    std::string position_type = "absolute";
    r.string("position_embedding_type", position_type);
    if (position_type != "absolute")
      r.fail("position_embedding_type",
             "\"" + position_type + "\" is not supported (only \"absolute\")");
  }
  c.id2label = r.labels();
  if (r.has("problem_type")) {
    std::string p;
    r.string("problem_type", p);
    c.problem_type = p;
  }
  c.extra = doc;
  c.validate(origin);
  return c;
}

void ModelConfig::validate(const std::string& origin) const {
  const Names& n = names_for(model_type);
  auto fail = [&](const std::string& field, const std::string& why) {
    throw ConfigError(origin + ": " + field + ": " + why);
  };
  auto positive = [&](const char* field, int64_t v) {
    if (v <= 0) fail(field, "must be positive, got " + std::to_string(v));
  };
  auto probability = [&](const char* field, double v) {
    if (!std::isfinite(v) || v < 0.0 || v >= 1.0) fail(field, "must be in [0, 1)");
  };
  positive("vocab_size", vocab_size);
  positive(n.hidden_size, hidden_size);
  positive(n.num_hidden_layers, num_hidden_layers);
  positive(n.num_attention_heads, num_attention_heads);
  positive(n.intermediate_size, intermediate_size);
  positive("max_position_embeddings", max_position_embeddings);
  if (hidden_size % num_attention_heads != 0)
    fail(n.hidden_size, std::to_string(hidden_size) + " is not a multiple of " +
                            n.num_attention_heads + " (" + std::to_string(num_attention_heads) +
                            ")");
  if (hidden_act != "gelu" && hidden_act != "gelu_new" && hidden_act != "relu")
    fail(n.hidden_act, "\"" + hidden_act + "\" is not supported (gelu, gelu_new, relu)");
  probability(n.hidden_dropout_prob, hidden_dropout_prob);
  probability(n.attention_probs_dropout_prob, attention_probs_dropout_prob);
  probability("seq_classif_dropout", seq_classif_dropout);
  if (classifier_dropout) probability("classifier_dropout", *classifier_dropout);
  if (!std::isfinite(layer_norm_eps) || layer_norm_eps <= 0)
    fail("layer_norm_eps", "must be positive");
  if (!std::isfinite(initializer_range) || initializer_range <= 0)
    fail("initializer_range", "must be positive");
  if (model_type == "bert") positive("type_vocab_size", type_vocab_size);
  if (pad_token_id < 0 || pad_token_id >= vocab_size)
    fail("pad_token_id", std::to_string(pad_token_id) + " is outside the vocabulary of " +
                             std::to_string(vocab_size));
  if (id2label.empty()) fail("id2label", "needs at least one label");
  std::vector<std::string> sorted = id2label;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    fail("id2label", "labels must be distinct");
}

ModelConfig ModelConfig::load(const std::filesystem::path& path) {
  std::filesystem::path file = std::filesystem::is_directory(path) ? path / "config.json" : path;
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw ConfigError(file.string() + ": cannot open (a model directory needs a config.json)");
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::parse_error& e) {
    throw ConfigError(file.string() + ": invalid JSON: " + e.what());
  }
  return from_json(doc, file.string());
}

json ModelConfig::to_json() const {
  const Names& n = names_for(model_type);
  json doc = extra.is_object() ? extra : json::object();
  doc["model_type"] = model_type;
  if (!architectures.empty()) doc["architectures"] = architectures;
  doc["vocab_size"] = vocab_size;
  doc[n.hidden_size] = hidden_size;
  doc[n.num_hidden_layers] = num_hidden_layers;
  doc[n.num_attention_heads] = num_attention_heads;
  doc[n.intermediate_size] = intermediate_size;
  doc[n.hidden_act] = hidden_act;
  doc[n.hidden_dropout_prob] = hidden_dropout_prob;
  doc[n.attention_probs_dropout_prob] = attention_probs_dropout_prob;
  doc["max_position_embeddings"] = max_position_embeddings;
  doc["pad_token_id"] = pad_token_id;
  doc["initializer_range"] = initializer_range;
  if (model_type == "distilbert") {
    doc["seq_classif_dropout"] = seq_classif_dropout;
    doc["sinusoidal_pos_embds"] = sinusoidal_pos_embds;
  } else {
    doc["type_vocab_size"] = type_vocab_size;
    doc["layer_norm_eps"] = layer_norm_eps;
    doc["classifier_dropout"] = classifier_dropout ? json(*classifier_dropout) : json(nullptr);
  }
  json id2 = json::object(), label2 = json::object();
  for (size_t i = 0; i < id2label.size(); ++i) {
    id2[std::to_string(i)] = id2label[i];
    label2[id2label[i]] = static_cast<int64_t>(i);
  }
  doc["id2label"] = id2;
  doc["label2id"] = label2;
  doc.erase("num_labels");  // id2label says it; Transformers drops it on save too
  if (problem_type) doc["problem_type"] = *problem_type;
  return doc;
}

}  // namespace finsent::models
