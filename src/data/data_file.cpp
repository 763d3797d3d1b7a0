// Data files read whole under a size limit: the size of a regular file is checked before reading,
// anything else (FIFO, /dev/zero) is read in chunks and stopped at the limit.
#include "finsent/data/data_file.hpp"

#include <fstream>

#include "finsent/core/error.hpp"

namespace finsent::data {
namespace {

[[noreturn]] void throw_over_limit(const std::filesystem::path& path, uint64_t max_bytes) {
  throw InputError(path.string() + ": larger than the data-file limit of " +
                   std::to_string(max_bytes) + " bytes (raise it with --max-data-bytes)");
}

}  // namespace

std::string read_data_file(const std::filesystem::path& path, uint64_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) throw InputError(path.string() + ": no such file");
  if (std::filesystem::is_directory(status)) {
    throw InputError(path.string() + ": is a directory, expected a data file");
  }
  std::string bytes;
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > max_bytes) throw_over_limit(path, max_bytes);
    if (!ec) bytes.reserve(size);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot open for reading");
  constexpr size_t kChunk = size_t{1} << 20;
  std::string chunk(kChunk, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(kChunk));
    const auto got = static_cast<size_t>(in.gcount());
    if (bytes.size() + got > max_bytes) throw_over_limit(path, max_bytes);
    bytes.append(chunk, 0, got);
  }
  if (in.bad()) throw InputError(path.string() + ": read failed");
  if (bytes.empty()) throw InputError(path.string() + ": file is empty");
  return bytes;
}

}  // namespace finsent::data
