// pytorch_model.bin (torch.save zip format) read through the restricted state-dict unpickler.
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

// One tensor of a PyTorch checkpoint, as saved (a strided view into a storage record).
struct PytorchTensor {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;    // each >= 0; empty for a scalar
  std::vector<int64_t> strides;  // in elements, same rank as shape
  uint64_t storage_offset;       // in elements
  std::string storage_key;       // record <archive>/data/<key>
};

// A torch.save zip checkpoint (PyTorch >= 1.6 format, little-endian), memory-mapped. data.pkl is
// interpreted by unpickle_state_dict (see pickle_state_dict.hpp): no code in the file runs.
// Every tensor is checked to lie inside its storage record before anything is exposed.
// Legacy (pre-1.6, non-zip) files, big-endian files, compressed archives and pickles with
// anything but tensors, storages and ordered dicts are refused with WeightsError naming the file.
class PytorchCheckpoint {
 public:
  // Memory-maps `path` read-only.
  static PytorchCheckpoint open(const std::filesystem::path& path);
  // Validates a copy of `bytes` (for tests and fuzzing); `origin` names it in errors.
  static PytorchCheckpoint parse(std::span<const std::byte> bytes,
                                 std::string_view origin = "<memory>");

  PytorchCheckpoint(PytorchCheckpoint&&) noexcept;
  PytorchCheckpoint& operator=(PytorchCheckpoint&&) noexcept;
  ~PytorchCheckpoint();

  // In the state dict's order.
  const std::vector<PytorchTensor>& tensors() const { return tensors_; }
  const PytorchTensor* find(std::string_view name) const;
  // The tensor's elements in row-major (C-contiguous) order, little-endian: a view into the
  // mapping when the saved tensor is contiguous, otherwise a copy gathered at open() (total
  // copies are capped at the file's size). Valid while this object lives.
  std::span<const std::byte> data(const PytorchTensor& tensor) const;
  // True when data(tensor) is a view into the mapped file rather than a gathered copy.
  bool zero_copy(const PytorchTensor& tensor) const;
  const std::string& origin() const { return origin_; }

 private:
  PytorchCheckpoint() = default;
  static PytorchCheckpoint from_bytes(std::shared_ptr<const void> owner,
                                      std::span<const std::byte> file, std::string origin);
  std::shared_ptr<const void> mapping_;
  std::vector<std::unique_ptr<std::vector<std::byte>>> gathered_;
  std::string origin_;
  std::vector<PytorchTensor> tensors_;
  std::vector<std::span<const std::byte>> data_;  // parallel to tensors_
  std::vector<bool> zero_copy_;
  std::map<std::string, size_t, std::less<>> index_;
};

}  // namespace finsent::io
