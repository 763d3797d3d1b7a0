// Reading a data file whole, within a stated size limit (a data file is held in memory).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace finsent::data {

// The default limit on a data file's size: 1 GiB (the PhraseBank files are under 1 MiB). The CLI's
// --max-data-bytes changes it.
inline constexpr uint64_t kDefaultMaxDataFileBytes = uint64_t{1} << 30;

// The file's bytes. A regular file larger than max_bytes is refused from its size before anything
// is read; a FIFO, device or /proc file is read in chunks and refused as soon as more than
// max_bytes have come (so /dev/zero costs at most max_bytes of memory). Throws InputError
// "FILE: ..." when the file is missing, a directory, unreadable, empty, or over the limit (the
// message names the limit and the flag).
std::string read_data_file(const std::filesystem::path& path,
                           uint64_t max_bytes = kDefaultMaxDataFileBytes);

}  // namespace finsent::data
