// Minimal read-only ZIP directory for PyTorch checkpoints: stored (uncompressed) entries only.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace finsent::io::detail {

// The entries of a ZIP archive held in memory, as views into `bytes` (which must outlive this).
// Supports what torch.save writes: stored entries, ZIP64 end records. Compressed or encrypted
// entries, multi-disk archives and entries whose ranges leave the buffer are rejected with
// WeightsError naming `origin`. CRCs are not verified (torch's own reader does not either for
// tensor records, and verifying would touch every mapped page).
class ZipArchive {
 public:
  ZipArchive(std::span<const std::byte> bytes, std::string origin);

  // Entry name -> contents.
  const std::map<std::string, std::span<const std::byte>, std::less<>>& entries() const {
    return entries_;
  }
  // Contents of `name`, or nullptr-data span with found=false.
  const std::span<const std::byte>* find(std::string_view name) const;

  // True when `bytes` starts with a ZIP local file header signature.
  static bool looks_like_zip(std::span<const std::byte> bytes);

 private:
  std::string origin_;
  std::map<std::string, std::span<const std::byte>, std::less<>> entries_;
};

}  // namespace finsent::io::detail
