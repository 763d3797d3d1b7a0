// Reading tokenizer.json fields with the reference's defaults and one-line errors.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "finsent/core/error.hpp"

namespace finsent::text::json_fields {

// j[key] as T, `fallback` when absent or null; TokenizerError naming `where`.key when mistyped.
template <class T>
T get(const nlohmann::json& j, const char* key, const T& fallback, const std::string& where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  try {
    return j[key].get<T>();
  } catch (const nlohmann::json::exception&) {
    throw TokenizerError("tokenizer.json: " + where + "." + key + " has the wrong type");
  }
}

// j[key] as a string, nullopt when absent or null.
inline std::optional<std::string> get_optional_string(const nlohmann::json& j, const char* key,
                                                      const std::string& where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return std::nullopt;
  if (!j[key].is_string()) {
    throw TokenizerError("tokenizer.json: " + where + "." + key + " is not a string");
  }
  return j[key].get<std::string>();
}

// j[key] that must be present.
template <class T>
T require(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) {
    throw TokenizerError("tokenizer.json: " + where + " has no " + key);
  }
  return get<T>(j, key, T{}, where);
}

// The "type" of a component section.
inline std::string type_of(const nlohmann::json& j, const std::string& where) {
  return require<std::string>(j, "type", where);
}

}  // namespace finsent::text::json_fields
