// Helpers of the models tests: fixture paths, parity.json tensors, max abs difference.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

namespace finsent::models::testing {

inline std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(FINSENT_FIXTURES_DIR) / "models" / name;
}

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture " + path.string());
  return nlohmann::json::parse(in);
}

// A nested JSON list of numbers as a tensor of `dtype` (shape from the nesting).
inline torch::Tensor json_tensor(const nlohmann::json& j, torch::ScalarType dtype) {
  std::vector<int64_t> shape;
  const nlohmann::json* level = &j;
  while (level->is_array()) {
    shape.push_back(static_cast<int64_t>(level->size()));
    if (level->empty()) break;
    level = &(*level)[0];
  }
  std::vector<double> flat;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& v) {
    if (v.is_array())
      for (const auto& e : v) walk(e);
    else
      flat.push_back(v.get<double>());
  };
  walk(j);
  return torch::tensor(flat, torch::kDouble).reshape(shape).to(dtype);
}

// A fixture's parity.json (tools/make_*_fixtures.py): the inputs (token_type_ids undefined when
// absent) and Transformers' outputs by key.
struct Parity {
  nlohmann::json doc;
  torch::Tensor ids, mask, types;
  explicit Parity(const std::string& name) : doc(read_json(fixture(name) / "parity.json")) {
    ids = json_tensor(doc["input_ids"], torch::kLong);
    mask = json_tensor(doc["attention_mask"], torch::kLong);
    if (doc.contains("token_type_ids")) types = json_tensor(doc["token_type_ids"], torch::kLong);
  }
  torch::Tensor expected(const char* key) const { return json_tensor(doc[key], torch::kFloat); }
};

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  EXPECT_EQ(a.sizes(), b.sizes());
  if (a.sizes() != b.sizes()) return INFINITY;
  return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("finsent-models-" + tag + "-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter()++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  std::filesystem::path path_;
};

}  // namespace finsent::models::testing
