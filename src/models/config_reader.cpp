// Typed config.json field reads and value checks with "ORIGIN: FIELD: reason" errors.
#include "finsent/models/config_reader.hpp"

#include <cmath>

#include "finsent/core/error.hpp"

namespace finsent::models {

using nlohmann::json;

void ConfigChecks::fail(const std::string& field, const std::string& why) const {
  throw ConfigError(origin_ + ": " + field + ": " + why);
}

void ConfigChecks::positive(const std::string& field, int64_t v) const {
  if (v <= 0) fail(field, "must be positive, got " + std::to_string(v));
}

void ConfigChecks::positive(const std::string& field, double v) const {
  if (!std::isfinite(v) || v <= 0) fail(field, "must be positive");
}

void ConfigChecks::probability(const std::string& field, double v) const {
  if (!std::isfinite(v) || v < 0.0 || v >= 1.0) fail(field, "must be in [0, 1)");
}

bool ConfigReader::has(const std::string& key) const {
  return doc_.is_object() && doc_.contains(key) && !doc_.at(key).is_null();
}

void ConfigReader::integer(const std::string& key, int64_t& out) const {
  if (!has(key)) return;
  const json& v = doc_.at(key);
  if (!v.is_number_integer()) fail(key, "expected an integer, got " + v.dump());
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail(key, v.dump() + " is out of range");
  out = v.get<int64_t>();
}

void ConfigReader::number(const std::string& key, double& out) const {
  if (!has(key)) return;
  const json& v = doc_.at(key);
  if (!v.is_number()) fail(key, "expected a number, got " + v.dump());
  out = v.get<double>();
  if (!std::isfinite(out)) fail(key, "not a finite number");
}

void ConfigReader::number(const std::string& key, std::optional<double>& out) const {
  if (!has(key)) return;
  double v = 0;
  number(key, v);
  out = v;
}

void ConfigReader::string(const std::string& key, std::string& out) const {
  if (!has(key)) return;
  const json& v = doc_.at(key);
  if (!v.is_string()) fail(key, "expected a string, got " + v.dump());
  out = v.get<std::string>();
}

void ConfigReader::boolean(const std::string& key, bool& out) const {
  if (!has(key)) return;
  const json& v = doc_.at(key);
  if (!v.is_boolean()) fail(key, "expected true or false, got " + v.dump());
  out = v.get<bool>();
}

}  // namespace finsent::models
