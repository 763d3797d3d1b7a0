// One view over a model directory's weights: model.safetensors, sharded safetensors,
// pytorch_model.bin or sharded .bin, each tensor as name, dtype, shape and row-major bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "finsent/io/safetensors.hpp"

namespace finsent::io {

struct CheckpointTensor {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  std::filesystem::path file;  // the file (shard) holding it
};

// Opens the weights of a Hugging Face model directory, choosing the file as Transformers does:
// model.safetensors, else model.safetensors.index.json, else pytorch_model.bin, else
// pytorch_model.bin.index.json. `path` may also name one of those files directly.
// Sharded indexes ("weight_map": name -> shard file) are checked: shard names must be plain
// file names in the same directory, every mapped tensor must be in its shard, and every shard
// tensor must be mapped to that shard. All violations throw WeightsError naming the file and
// tensor; a directory with no weights throws WeightsError listing the names looked for.
class CheckpointReader {
 public:
  static CheckpointReader open(const std::filesystem::path& path);

  CheckpointReader(CheckpointReader&&) noexcept;
  CheckpointReader& operator=(CheckpointReader&&) noexcept;
  ~CheckpointReader();

  // Sorted by name.
  const std::vector<CheckpointTensor>& tensors() const { return tensors_; }
  const CheckpointTensor* find(std::string_view name) const;
  // Row-major little-endian bytes, product(shape) * dtype_size(dtype) long; a view into the
  // mapped file where possible (see PytorchCheckpoint::data). Not necessarily aligned for the
  // dtype: copy with memcpy. Valid while this reader lives.
  std::span<const std::byte> data(const CheckpointTensor& tensor) const;
  // "safetensors" or "pytorch".
  std::string_view format() const { return format_; }
  // The weight files opened (one, or the shards in name order).
  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  struct Sources;
  CheckpointReader();
  std::unique_ptr<Sources> sources_;
  std::string format_;
  std::vector<std::filesystem::path> files_;
  std::vector<CheckpointTensor> tensors_;
  std::vector<std::span<const std::byte>> data_;  // parallel to tensors_
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace finsent::io
