// tokenizer.json's truncation / padding sections (tokenizers' TruncationParams, PaddingParams).
#include "encode_settings.hpp"

#include "finsent/core/error.hpp"
#include "pipeline/json_fields.hpp"

namespace finsent::text {
namespace {

using nlohmann::json;
namespace jf = json_fields;

Side side(const std::string& name, const std::string& where) {
  if (name == "Right") return Side::Right;
  if (name == "Left") return Side::Left;
  throw TokenizerError(where + " is " + name + ", not Right or Left");
}

Truncation strategy(const std::string& name) {
  if (name == "LongestFirst") return Truncation::LongestFirst;
  if (name == "OnlyFirst") return Truncation::OnlyFirst;
  if (name == "OnlySecond") return Truncation::OnlySecond;
  throw TokenizerError("tokenizer.json: truncation.strategy is " + name +
                       ", not LongestFirst, OnlyFirst or OnlySecond");
}

size_t non_negative(const json& j, const char* key, const std::string& where) {
  const auto v = jf::require<int64_t>(j, key, where);
  if (v < 0) throw TokenizerError("tokenizer.json: " + where + "." + key + " is negative");
  return static_cast<size_t>(v);
}

TruncationParams parse_truncation(const json& j) {
  if (!j.is_object()) throw TokenizerError("tokenizer.json: truncation is not an object");
  TruncationParams t;
  t.max_length = non_negative(j, "max_length", "truncation");
  t.strategy = strategy(jf::require<std::string>(j, "strategy", "truncation"));
  t.stride = non_negative(j, "stride", "truncation");
  t.direction = side(jf::get<std::string>(j, "direction", "Right", "truncation"),
                     "tokenizer.json: truncation.direction");
  return t;
}

PaddingParams parse_padding(const json& j) {
  if (!j.is_object()) throw TokenizerError("tokenizer.json: padding is not an object");
  PaddingParams p;
  const json strategy = jf::require<json>(j, "strategy", "padding");
  if (strategy.is_object() && strategy.size() == 1 && strategy.contains("Fixed")) {
    p.fixed_length = non_negative(strategy, "Fixed", "padding.strategy");
  } else if (strategy != "BatchLongest") {
    throw TokenizerError("tokenizer.json: padding.strategy is neither BatchLongest nor {Fixed: n}");
  }
  p.direction = side(jf::require<std::string>(j, "direction", "padding"),
                     "tokenizer.json: padding.direction");
  if (j.contains("pad_to_multiple_of") && !j["pad_to_multiple_of"].is_null())
    p.pad_to_multiple_of = non_negative(j, "pad_to_multiple_of", "padding");
  p.pad_id = static_cast<int64_t>(non_negative(j, "pad_id", "padding"));
  p.pad_type_id = static_cast<int64_t>(non_negative(j, "pad_type_id", "padding"));
  p.pad_token = jf::require<std::string>(j, "pad_token", "padding");
  return p;
}

// tokenizer_config.json's truncation_side / padding_side, when given.
std::optional<Side> config_side(const json* config, const char* key) {
  if (!config || !config->is_object() || !config->contains(key) || (*config)[key].is_null())
    return std::nullopt;
  const json& v = (*config)[key];
  if (!v.is_string() || (v != "left" && v != "right"))
    throw TokenizerError(std::string("tokenizer_config.json: ") + key +
                         " is not \"left\" or \"right\"");
  return v == "left" ? Side::Left : Side::Right;
}

}  // namespace

EncodeSettings parse_encode_settings(const json& doc, const json* config) {
  EncodeSettings s;
  if (doc.contains("truncation") && !doc["truncation"].is_null())
    s.truncation = parse_truncation(doc["truncation"]);
  if (doc.contains("padding") && !doc["padding"].is_null())
    s.padding = parse_padding(doc["padding"]);
  s.truncation_side = config_side(config, "truncation_side")
                          .value_or(s.truncation ? s.truncation->direction : Side::Right);
  s.padding_side =
      config_side(config, "padding_side").value_or(s.padding ? s.padding->direction : Side::Right);
  return s;
}

}  // namespace finsent::text
