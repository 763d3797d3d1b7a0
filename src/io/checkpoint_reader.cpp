// Model-directory weights: picks the checkpoint file like Transformers and resolves shards.
#include "finsent/io/checkpoint.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "finsent/core/error.hpp"
#include "finsent/io/pytorch_checkpoint.hpp"

namespace finsent::io {

struct CheckpointReader::Sources {
  std::vector<SafetensorsFile> safetensors;
  std::vector<PytorchCheckpoint> pytorch;
};

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// name -> shard file name, from a *.index.json.
std::map<std::string, std::string> read_weight_map(const std::filesystem::path& index) {
  std::ifstream in(index, std::ios::binary);
  if (!in) throw WeightsError("cannot read " + index.string());
  std::string text(std::istreambuf_iterator<char>(in), {});
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    std::string what = e.what();
    if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
    throw WeightsError(index.string() + ": not valid JSON: " + what);
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
    throw WeightsError(index.string() + ": missing \"weight_map\" object");
  }
  std::map<std::string, std::string> out;
  for (const auto& [name, file] : j["weight_map"].items()) {
    if (!file.is_string()) {
      throw WeightsError(index.string() + ": weight_map entry '" + name + "' is not a file name");
    }
    std::string f = file.get<std::string>();
    if (f.empty() || f.find('/') != std::string::npos || f.find('\\') != std::string::npos ||
        f == "." || f == "..") {
      throw WeightsError(index.string() + ": weight_map entry '" + name + "' names '" + f +
                         "', which is not a file in the same directory");
    }
    out.emplace(name, std::move(f));
  }
  if (out.empty()) throw WeightsError(index.string() + ": weight_map is empty");
  return out;
}

}  // namespace

CheckpointReader::CheckpointReader() : sources_(std::make_unique<Sources>()) {}
CheckpointReader::CheckpointReader(CheckpointReader&&) noexcept = default;
CheckpointReader& CheckpointReader::operator=(CheckpointReader&&) noexcept = default;
CheckpointReader::~CheckpointReader() = default;

CheckpointReader CheckpointReader::open(const std::filesystem::path& path) {
  static const char* kCandidates[] = {"model.safetensors", "model.safetensors.index.json",
                                      "pytorch_model.bin", "pytorch_model.bin.index.json"};
  std::filesystem::path file = path;
  if (std::filesystem::is_directory(path)) {
    file.clear();
    for (const char* c : kCandidates) {
      if (std::filesystem::is_regular_file(path / c)) {
        file = path / c;
        break;
      }
    }
    if (file.empty()) {
      throw WeightsError(path.string() + ": no weights found (looked for model.safetensors, " +
                         "model.safetensors.index.json, pytorch_model.bin, " +
                         "pytorch_model.bin.index.json)");
    }
  } else if (!std::filesystem::exists(path)) {
    throw WeightsError(path.string() + ": no such file or directory");
  }

  CheckpointReader r;
  const std::string fname = file.filename().string();
  const bool is_index = ends_with(fname, ".index.json");
  const bool is_safetensors =
      is_index ? ends_with(fname, ".safetensors.index.json") : ends_with(fname, ".safetensors");
  r.format_ = is_safetensors ? "safetensors" : "pytorch";

  // name -> (file, bytes, dtype, shape), gathered from each opened file.
  auto add_file = [&](const std::filesystem::path& f) -> std::vector<CheckpointTensor> {
    std::vector<CheckpointTensor> found;
    if (is_safetensors) {
      auto& st = r.sources_->safetensors.emplace_back(SafetensorsFile::open(f));
      for (const auto& t : st.tensors()) {
        found.push_back({t.name, t.dtype, t.shape, f});
        r.data_.push_back(st.data(t));
      }
    } else {
      auto& pt = r.sources_->pytorch.emplace_back(PytorchCheckpoint::open(f));
      for (const auto& t : pt.tensors()) {
        found.push_back({t.name, t.dtype, t.shape, f});
        r.data_.push_back(pt.data(t));
      }
    }
    r.files_.push_back(f);
    return found;
  };

  std::vector<CheckpointTensor> all;
  if (!is_index) {
    all = add_file(file);
  } else {
    auto weight_map = read_weight_map(file);
    std::set<std::string> shards;
    for (const auto& [_, shard] : weight_map) shards.insert(shard);
    for (const auto& shard : shards) {
      auto shard_path = file.parent_path() / shard;
      if (!std::filesystem::is_regular_file(shard_path)) {
        throw WeightsError(file.string() + ": shard " + shard + " is missing");
      }
      for (auto& t : add_file(shard_path)) {
        auto it = weight_map.find(t.name);
        if (it == weight_map.end() || it->second != shard) {
          throw WeightsError(shard_path.string() + ": tensor '" + t.name + "' is not mapped to " +
                             "this shard by " + file.filename().string());
        }
        all.push_back(std::move(t));
      }
    }
    std::set<std::string> seen;
    for (const auto& t : all) seen.insert(t.name);
    for (const auto& [name, shard] : weight_map) {
      if (!seen.count(name)) {
        throw WeightsError(file.string() + ": tensor '" + name + "' is mapped to " + shard +
                           ", which does not contain it");
      }
    }
  }

  // Sort by name, keeping data_ parallel.
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return all[a].name < all[b].name; });
  std::vector<std::span<const std::byte>> data;
  for (size_t i : order) {
    if (!r.tensors_.empty() && r.tensors_.back().name == all[i].name) {
      throw WeightsError(all[i].file.string() + ": tensor '" + all[i].name + "' appears twice");
    }
    r.index_.emplace(all[i].name, r.tensors_.size());
    r.tensors_.push_back(std::move(all[i]));
    data.push_back(r.data_[i]);
  }
  r.data_ = std::move(data);
  return r;
}

const CheckpointTensor* CheckpointReader::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

std::span<const std::byte> CheckpointReader::data(const CheckpointTensor& tensor) const {
  auto it = index_.find(tensor.name);
  if (it == index_.end()) throw WeightsError("checkpoint has no tensor '" + tensor.name + "'");
  return data_[it->second];
}

}  // namespace finsent::io
