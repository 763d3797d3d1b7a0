// Typed reads and checks of config.json fields with one-line errors naming the file and field; what
// the shared config code and each family's own fields use (torch-free).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace finsent::models {

// Checks of values already read. Every failure throws ConfigError "ORIGIN: FIELD: reason".
class ConfigChecks {
 public:
  explicit ConfigChecks(std::string origin) : origin_(std::move(origin)) {}
  [[noreturn]] void fail(const std::string& field, const std::string& why) const;
  // v > 0.
  void positive(const std::string& field, int64_t v) const;
  // v finite and > 0.
  void positive(const std::string& field, double v) const;
  // v in [0, 1) (a dropout probability).
  void probability(const std::string& field, double v) const;
  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
};

// Reads fields of a parsed config.json. A key that is absent or null leaves `out` as it was (the
// default); a value of another JSON type fails ("expected an integer, got \"12\"").
class ConfigReader : public ConfigChecks {
 public:
  // `doc` must outlive the reader.
  ConfigReader(const nlohmann::json& doc, std::string origin)
      : ConfigChecks(std::move(origin)), doc_(doc) {}
  bool has(const std::string& key) const;
  // An integer within int64 (larger ones fail "is out of range").
  void integer(const std::string& key, int64_t& out) const;
  // A finite number (integers accepted).
  void number(const std::string& key, double& out) const;
  void number(const std::string& key, std::optional<double>& out) const;
  void string(const std::string& key, std::string& out) const;
  void boolean(const std::string& key, bool& out) const;
  const nlohmann::json& doc() const { return doc_; }

 private:
  const nlohmann::json& doc_;
};

}  // namespace finsent::models
