// Read-only memory mapping of a whole file (POSIX mmap), shared by the checkpoint readers.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>

namespace finsent::io::detail {

// A regular file mapped read-only and private. Empty files map to an empty span.
class MappedFile {
 public:
  // Throws IoError naming `path` when it cannot be opened, is not a regular file, or cannot be
  // mapped.
  static std::shared_ptr<const MappedFile> open(const std::filesystem::path& path);
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }

 private:
  MappedFile(const std::byte* data, size_t size) : data_(data), size_(size) {}
  const std::byte* data_;
  size_t size_;
};

}  // namespace finsent::io::detail
