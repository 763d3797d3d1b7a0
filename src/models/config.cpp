// Reading, validating and writing config.json through the schema of model_type's family.
#include "finsent/models/config.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/models/config_reader.hpp"
#include "finsent/models/registry.hpp"

namespace finsent::models {
namespace {

using nlohmann::json;

std::vector<std::string> read_architectures(const ConfigReader& r) {
  std::vector<std::string> out;
  if (!r.has("architectures")) return out;
  const json& a = r.doc().at("architectures");
  if (!a.is_array()) r.fail("architectures", "expected a list of class names");
  for (const auto& e : a) {
    if (!e.is_string()) r.fail("architectures", "expected a list of class names");
    out.push_back(e.get<std::string>());
  }
  return out;
}

// id2label (contiguous indices from 0, agreeing with num_labels when both are given), else
// num_labels generic labels (PretrainedConfig's default: 2).
std::vector<std::string> read_labels(const ConfigReader& r) {
  if (!r.has("id2label")) {
    int64_t n = 2;
    r.integer("num_labels", n);
    if (n < 1 || n > 100000) r.fail("num_labels", "must be in 1..100000");
    std::vector<std::string> out;
    for (int64_t i = 0; i < n; ++i) out.push_back("LABEL_" + std::to_string(i));
    return out;
  }
  const json& v = r.doc().at("id2label");
  if (!v.is_object()) r.fail("id2label", "expected an object {\"0\": label, ...}");
  std::map<int64_t, std::string> by_id;
  for (auto it = v.begin(); it != v.end(); ++it) {
    int64_t id = -1;
    std::istringstream key(it.key());
    if (!(key >> id) || !key.eof() || id < 0)
      r.fail("id2label", "key \"" + it.key() + "\" is not an index");
    if (!it.value().is_string()) r.fail("id2label", "label of " + it.key() + " is not a string");
    by_id[id] = it.value().get<std::string>();
  }
  std::vector<std::string> out;
  for (const auto& [id, label] : by_id) {
    if (id != static_cast<int64_t>(out.size()))
      r.fail("id2label", "indices must be 0.." + std::to_string(by_id.size() - 1));
    out.push_back(label);
  }
  if (r.has("num_labels")) {
    int64_t n = 0;
    r.integer("num_labels", n);
    if (n != static_cast<int64_t>(out.size()))
      r.fail("num_labels",
             std::to_string(n) + " disagrees with id2label's " + std::to_string(out.size()));
  }
  return out;
}

// The fields every family has, under the family's names ("" names are not read).
void read_shared_fields(const ConfigReader& r, const ConfigFieldNames& n, ModelConfig& c) {
  auto integer = [&](const std::string& key, int64_t& out) {
    if (!key.empty()) r.integer(key, out);
  };
  auto number = [&](const std::string& key, double& out) {
    if (!key.empty()) r.number(key, out);
  };
  r.integer("vocab_size", c.vocab_size);
  integer(n.hidden_size, c.hidden_size);
  integer(n.num_hidden_layers, c.num_hidden_layers);
  integer(n.num_attention_heads, c.num_attention_heads);
  integer(n.intermediate_size, c.intermediate_size);
  if (!n.hidden_act.empty()) r.string(n.hidden_act, c.hidden_act);
  number(n.hidden_dropout_prob, c.hidden_dropout_prob);
  number(n.attention_probs_dropout_prob, c.attention_probs_dropout_prob);
  r.integer("max_position_embeddings", c.max_position_embeddings);
  r.integer("pad_token_id", c.pad_token_id);
  r.number("initializer_range", c.initializer_range);
  integer(n.type_vocab_size, c.type_vocab_size);
  number(n.layer_norm_eps, c.layer_norm_eps);
}

}  // namespace

ModelConfig ModelConfig::from_json(const json& doc, const std::string& origin) {
  if (!doc.is_object()) throw ConfigError(origin + ": expected a JSON object");
  ConfigReader r(doc, origin);
  ModelConfig c;
  if (!r.has("model_type"))
    r.fail("model_type", "missing (finsent supports " + supported_model_types() + ")");
  r.string("model_type", c.model_type);
  const ModelFamily* family = find_model_family(c.model_type);
  if (family == nullptr)
    r.fail("model_type", "\"" + c.model_type + "\" is not supported (finsent supports " +
                             supported_model_types() + ")");
  const ConfigSchema& schema = family->config;
  if (schema.defaults) schema.defaults(c);
  c.architectures = read_architectures(r);
  read_shared_fields(r, schema.names, c);
  if (schema.read) schema.read(r, c);
  c.id2label = read_labels(r);
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
  const ConfigSchema& schema = model_family(model_type).config;
  const ConfigFieldNames& n = schema.names;
  const ConfigChecks check(origin);
  check.positive("vocab_size", vocab_size);
  check.positive(n.hidden_size, hidden_size);
  check.positive(n.num_hidden_layers, num_hidden_layers);
  check.positive(n.num_attention_heads, num_attention_heads);
  check.positive(n.intermediate_size, intermediate_size);
  check.positive("max_position_embeddings", max_position_embeddings);
  if (hidden_size % num_attention_heads != 0)
    check.fail(n.hidden_size, std::to_string(hidden_size) + " is not a multiple of " +
                                  n.num_attention_heads + " (" +
                                  std::to_string(num_attention_heads) + ")");
  if (hidden_act != "gelu" && hidden_act != "gelu_new" && hidden_act != "relu")
    check.fail(n.hidden_act, "\"" + hidden_act + "\" is not supported (gelu, gelu_new, relu)");
  check.probability(n.hidden_dropout_prob, hidden_dropout_prob);
  check.probability(n.attention_probs_dropout_prob, attention_probs_dropout_prob);
  check.positive("layer_norm_eps", layer_norm_eps);
  check.positive("initializer_range", initializer_range);
  if (!n.type_vocab_size.empty()) check.positive(n.type_vocab_size, type_vocab_size);
  if (pad_token_id < 0 || pad_token_id >= vocab_size)
    check.fail("pad_token_id", std::to_string(pad_token_id) + " is outside the vocabulary of " +
                                   std::to_string(vocab_size));
  if (schema.validate) schema.validate(*this, check);
  if (id2label.empty()) check.fail("id2label", "needs at least one label");
  std::vector<std::string> sorted = id2label;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    check.fail("id2label", "labels must be distinct");
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
  const ConfigSchema& schema = model_family(model_type).config;
  const ConfigFieldNames& n = schema.names;
  json doc = extra.is_object() ? extra : json::object();
  auto put = [&](const std::string& key, const json& value) {
    if (!key.empty()) doc[key] = value;
  };
  doc["model_type"] = model_type;
  if (!architectures.empty()) doc["architectures"] = architectures;
  doc["vocab_size"] = vocab_size;
  put(n.hidden_size, hidden_size);
  put(n.num_hidden_layers, num_hidden_layers);
  put(n.num_attention_heads, num_attention_heads);
  put(n.intermediate_size, intermediate_size);
  put(n.hidden_act, hidden_act);
  put(n.hidden_dropout_prob, hidden_dropout_prob);
  put(n.attention_probs_dropout_prob, attention_probs_dropout_prob);
  doc["max_position_embeddings"] = max_position_embeddings;
  doc["pad_token_id"] = pad_token_id;
  doc["initializer_range"] = initializer_range;
  put(n.type_vocab_size, type_vocab_size);
  put(n.layer_norm_eps, layer_norm_eps);
  if (schema.write) schema.write(*this, doc);
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
