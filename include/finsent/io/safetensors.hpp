// safetensors checkpoints: a validating, memory-mapped reader and an atomic writer (torch-free).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace finsent::io {

// Element types of the safetensors format. The first thirteen are the contract's; the FP8 and
// complex types follow so files that use them can at least be listed. Sub-byte types (F4, F6_*)
// are rejected by the reader with a WeightsError naming the tensor.
enum class DType {
  BOOL,
  U8,
  I8,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  F64,
  I64,
  U64,
  F8_E5M2,
  F8_E4M3,
  F8_E8M0,
  C64,
};

// Bytes per element (BOOL is one byte, C64 eight).
size_t dtype_size(DType dtype);
// The name the format uses in the header: "F32", "BF16", "BOOL", ...
std::string_view dtype_name(DType dtype);
// The dtype with header name `name` (case-sensitive, as the format requires), or nullopt.
std::optional<DType> dtype_from_name(std::string_view name);

// One tensor of a safetensors file. Offsets are relative to the start of the data section
// (the byte after the header); end - begin == product(shape) * dtype_size(dtype).
struct TensorInfo {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;  // each dimension >= 0; empty for a scalar
  uint64_t begin, end;
};

// A validated safetensors file. Validation follows the reference Rust reader: file >= 8 bytes,
// header length <= 100,000,000 and inside the file, header a UTF-8 JSON object, known dtypes,
// non-negative shapes whose byte size (overflow-checked) equals the tensor's range, ranges sorted
// and contiguous from 0 with no gaps or overlaps, the last ending at end of file, unique names,
// `__metadata__` a string-to-string object. Every violation throws WeightsError naming the file
// and, where there is one, the tensor. Nothing proportional to the data section is allocated
// before the header has been validated.
//
// Movable, not copyable; spans returned by data() stay valid while this object (or the object it
// was moved into) lives. Safe to read from several threads at once.
class SafetensorsFile {
 public:
  // Memory-maps `path` read-only (zero-copy).
  static SafetensorsFile open(const std::filesystem::path& path);
  // Validates `bytes` and keeps a copy of them. `origin` names the buffer in error messages.
  static SafetensorsFile parse(std::span<const std::byte> bytes,
                               std::string_view origin = "<memory>");

  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
  ~SafetensorsFile();

  // All tensors, sorted by begin offset.
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  // The tensor called `name`, or nullptr.
  const TensorInfo* find(std::string_view name) const;
  // The raw little-endian bytes of `tensor` (a TensorInfo of this file), without copying.
  // The span's address is only as aligned as the file lays it out: old files are not
  // 8-byte aligned, so consumers must copy (memcpy) rather than reinterpret_cast.
  std::span<const std::byte> data(const TensorInfo& tensor) const;
  // True when data(tensor) starts at an address aligned for its dtype.
  bool aligned(const TensorInfo& tensor) const;
  // The `__metadata__` map (empty when the file has none).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // The file path given to open(), or the origin given to parse().
  const std::string& origin() const { return origin_; }
  // Length of the JSON header in bytes (without the 8-byte length prefix).
  uint64_t header_size() const { return header_size_; }

 private:
  struct Storage;
  SafetensorsFile() = default;
  static SafetensorsFile from_storage(std::shared_ptr<const Storage> storage, std::string origin);

  std::shared_ptr<const Storage> storage_;
  std::string origin_;
  uint64_t header_size_ = 0;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, size_t, std::less<>> index_;
  std::map<std::string, std::string> metadata_;
};

// One tensor to save: `data` holds product(shape) * dtype_size(dtype) little-endian bytes.
struct TensorToWrite {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  std::span<const std::byte> data;
};

// Writes a safetensors file atomically (write_file_atomic semantics), laid out as the reference
// writer does: tensors ordered by dtype alignment (largest first, the Rust crate's dtype order)
// then by name; compact JSON header with `__metadata__` first (omitted when empty), padded with
// spaces to a multiple of 8 bytes. Throws WeightsError for invalid tensors (duplicate or empty or
// non-UTF-8 names, a name "__metadata__", negative dimensions, a data size that does not match the
// shape) and IoError when the file cannot be written.
void save_safetensors(const std::filesystem::path& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// Streams the bytes save_safetensors would write to `out` (an AtomicFile's stream, so several
// files can be committed together). Throws WeightsError as save_safetensors; write errors stay in
// the stream's state.
void write_safetensors(std::ostream& out, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

// The bytes save_safetensors would write for the same arguments.
std::string serialize_safetensors(const std::vector<TensorToWrite>& tensors,
                                  const std::map<std::string, std::string>& metadata = {});

}  // namespace finsent::io
