// `--head auto`: the head config.json marks, the family's head of a *ForSequenceClassification
// checkpoint, or the pooling of a sentence-transformers directory.
#include "finsent/models/head_resolution.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/models/registry.hpp"
#include "linear_head_folding.hpp"

namespace finsent::models {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// sentence-transformers' Pooling modes, as its config.json names them, and the head computing
// each (nullopt: finsent does not implement it).
struct PoolingMode {
  const char* key;
  const char* head;  // nullptr: not implemented
};
constexpr PoolingMode kPoolingModes[] = {
    {"pooling_mode_cls_token", kLinearHead},       {"pooling_mode_mean_tokens", kMeanHead},
    {"pooling_mode_max_tokens", nullptr},          {"pooling_mode_mean_sqrt_len_tokens", nullptr},
    {"pooling_mode_weightedmean_tokens", nullptr}, {"pooling_mode_lasttoken", nullptr},
};

json read_json_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string() + ": cannot open");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw ConfigError(file.string() + ": not valid JSON (" + e.what() + ")");
  }
}

// The Pooling module's folder named by modules.json, or nullopt when it lists none.
std::optional<fs::path> pooling_folder(const fs::path& modules_file) {
  const json modules = read_json_file(modules_file);
  const std::string where = modules_file.string() + ": ";
  if (!modules.is_array()) throw ConfigError(where + "expected a list of modules");
  for (size_t i = 0; i < modules.size(); ++i) {
    const json& m = modules[i];
    const std::string entry = where + "module " + std::to_string(i) + ": ";
    if (!m.is_object() || !m.contains("type") || !m["type"].is_string())
      throw ConfigError(entry + "type: expected a string");
    const std::string type = m["type"].get<std::string>();
    const std::string suffix = "models.Pooling";
    if (type.size() < suffix.size() ||
        type.compare(type.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    if (!m.contains("path") || !m["path"].is_string())
      throw ConfigError(entry + "path: expected a string");
    const fs::path path = m["path"].get<std::string>();
    for (const auto& part : path)
      if (path.is_absolute() || part == "..")
        throw ConfigError(entry + "path: \"" + path.string() +
                          "\" must be a folder inside the model directory");
    return path;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> sentence_transformers_head(const fs::path& dir,
                                                      const ModelConfig& model_config) {
  const int64_t hidden_size = model_config.hidden_size;
  const fs::path modules_file = dir / "modules.json";
  if (!fs::exists(modules_file)) return std::nullopt;
  const std::optional<fs::path> folder = pooling_folder(modules_file);
  if (!folder) return std::nullopt;
  const fs::path file = dir / *folder / "config.json";
  const json config = read_json_file(file);
  const std::string where = file.string() + ": ";
  if (!config.is_object()) throw ConfigError(where + "expected an object");
  if (config.contains("word_embedding_dimension")) {
    const json& d = config["word_embedding_dimension"];
    if (!d.is_number_integer() || d.get<int64_t>() != hidden_size)
      throw ConfigError(where + "word_embedding_dimension: " + d.dump() +
                        " disagrees with config.json's hidden size " + std::to_string(hidden_size));
  }
  std::vector<const PoolingMode*> set;
  for (const PoolingMode& mode : kPoolingModes) {
    if (!config.contains(mode.key)) continue;
    const json& v = config[mode.key];
    if (!v.is_boolean())
      throw ConfigError(where + mode.key + ": expected true or false, got " + v.dump());
    if (v.get<bool>()) set.push_back(&mode);
  }
  if (set.empty())
    throw ConfigError(where + "no pooling_mode_* is true: the directory does not say how it pools");
  if (set.size() > 1)
    throw ConfigError(where + std::string(set[0]->key) + " and " + set[1]->key +
                      " are both true (concatenated poolings): finsent implements one pooling at "
                      "a time; give --head mean or --head linear to choose");
  if (!set[0]->head)
    throw ConfigError(where + set[0]->key +
                      ": finsent does not implement this pooling (it implements "
                      "pooling_mode_mean_tokens and pooling_mode_cls_token); give --head "
                      "mean|linear|" +
                      model_family(model_config.model_type).head.name +
                      " to train another head on this encoder");
  return std::string(set[0]->head);
}

std::string auto_head(const fs::path& dir, const ModelConfig& config) {
  const std::string marked = detail::marked_head(config);
  if (!marked.empty()) return marked;
  const ModelFamily& family = model_family(config.model_type);
  const std::string& classifier = family.names(config.model_type).classifier_architecture;
  const auto& arch = config.architectures;
  if (std::find(arch.begin(), arch.end(), classifier) != arch.end()) return family.head.name;
  if (auto pooled = sentence_transformers_head(dir, config)) return *pooled;
  return family.head.name;
}

std::string resolve_head(const fs::path& dir, const ModelConfig& config,
                         const std::string& requested) {
  if (requested == "auto") return auto_head(dir, config);
  return head_kind(requested).name;
}

}  // namespace finsent::models
