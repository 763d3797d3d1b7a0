// Minimal read-only ZIP directory (PKWARE APPNOTE 6.3: central directory, ZIP64 end records).
#include "zip_archive.hpp"

#include <cstdint>

#include "finsent/core/error.hpp"

namespace finsent::io::detail {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kEnd64LocatorSig = 0x07064b50;
constexpr uint32_t kEnd64Sig = 0x06064b50;

// Bounds-checked little-endian reads; every failure is one WeightsError naming the archive.
class Reader {
 public:
  Reader(std::span<const std::byte> b, const std::string& origin) : b_(b), origin_(origin) {}
  uint64_t le(uint64_t off, int n) const {
    if (off > b_.size() || static_cast<uint64_t>(n) > b_.size() - off) {
      fail("a record at offset " + std::to_string(off) + " runs past the end of the file");
    }
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | std::to_integer<uint64_t>(b_[off + i]);
    return v;
  }
  std::span<const std::byte> range(uint64_t off, uint64_t len, const std::string& what) const {
    if (off > b_.size() || len > b_.size() - off) fail(what + " runs past the end of the file");
    return b_.subspan(off, len);
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw WeightsError(origin_ + ": not a readable PyTorch zip archive: " + what);
  }
  size_t size() const { return b_.size(); }

 private:
  std::span<const std::byte> b_;
  const std::string& origin_;
};

}  // namespace

bool ZipArchive::looks_like_zip(std::span<const std::byte> bytes) {
  return bytes.size() >= 4 && bytes[0] == std::byte{'P'} && bytes[1] == std::byte{'K'} &&
         bytes[2] == std::byte{3} && bytes[3] == std::byte{4};
}

ZipArchive::ZipArchive(std::span<const std::byte> bytes, std::string origin)
    : origin_(std::move(origin)) {
  Reader r(bytes, origin_);
  // The end record is 22 bytes plus a comment of at most 65535 bytes, at the end of the file.
  if (bytes.size() < 22) r.fail("too short for an end of central directory record");
  uint64_t end = 0;
  bool found = false;
  uint64_t lowest = bytes.size() >= 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  for (uint64_t off = bytes.size() - 22 + 1; off-- > lowest;) {
    if (r.le(off, 4) == kEndSig && off + 22 + r.le(off + 20, 2) == bytes.size()) {
      end = off;
      found = true;
      break;
    }
  }
  if (!found) r.fail("no end of central directory record");
  if (r.le(end + 4, 2) != 0 || r.le(end + 6, 2) != 0)
    r.fail("multi-disk archives are not supported");
  uint64_t count = r.le(end + 10, 2);
  uint64_t cd_size = r.le(end + 12, 4);
  uint64_t cd_offset = r.le(end + 16, 4);
  if (end >= 20 && r.le(end - 20, 4) == kEnd64LocatorSig) {
    uint64_t end64 = r.le(end - 20 + 8, 8);
    if (r.le(end64, 4) != kEnd64Sig) r.fail("ZIP64 locator points to no ZIP64 end record");
    count = r.le(end64 + 32, 8);
    cd_size = r.le(end64 + 40, 8);
    cd_offset = r.le(end64 + 48, 8);
  }
  r.range(cd_offset, cd_size, "the central directory");
  // Each central entry takes at least 46 bytes, which bounds `count` before anything is allocated.
  if (count > cd_size / 46) r.fail("central directory entry count is inconsistent with its size");

  uint64_t p = cd_offset;
  for (uint64_t i = 0; i < count; ++i) {
    if (p + 46 > cd_offset + cd_size || r.le(p, 4) != kCentralSig) {
      r.fail("central directory entry " + std::to_string(i) + " is malformed");
    }
    uint64_t flags = r.le(p + 8, 2);
    uint64_t method = r.le(p + 10, 2);
    uint64_t csize = r.le(p + 20, 4);
    uint64_t usize = r.le(p + 24, 4);
    uint64_t name_len = r.le(p + 28, 2);
    uint64_t extra_len = r.le(p + 30, 2);
    uint64_t comment_len = r.le(p + 32, 2);
    uint64_t local = r.le(p + 42, 4);
    auto name_bytes = r.range(p + 46, name_len, "an entry name");
    std::string name(reinterpret_cast<const char*>(name_bytes.data()), name_bytes.size());
    // ZIP64 extended information: only the fields whose 32-bit value is saturated are present.
    uint64_t x = p + 46 + name_len, x_end = x + extra_len;
    r.range(x, extra_len, "the extra field of " + name);
    while (x + 4 <= x_end) {
      uint64_t id = r.le(x, 2), len = r.le(x + 2, 2);
      if (x + 4 + len > x_end) r.fail("the extra field of " + name + " is malformed");
      if (id == 0x0001) {
        uint64_t q = x + 4, q_end = q + len;
        auto next = [&](uint64_t& field) {
          if (q + 8 > q_end) r.fail("the ZIP64 field of " + name + " is too short");
          field = r.le(q, 8);
          q += 8;
        };
        if (usize == 0xffffffff) next(usize);
        if (csize == 0xffffffff) next(csize);
        if (local == 0xffffffff) next(local);
      }
      x += 4 + len;
    }
    if (flags & 1) r.fail("entry " + name + " is encrypted");
    if (method != 0) {
      r.fail("entry " + name + " is compressed (method " + std::to_string(method) +
             "); torch.save writes stored entries, re-save the checkpoint with torch.save");
    }
    if (csize != usize) r.fail("stored entry " + name + " has different compressed and real sizes");
    if (r.le(local, 4) != kLocalSig) r.fail("entry " + name + " has no local header");
    uint64_t data = local + 30 + r.le(local + 26, 2) + r.le(local + 28, 2);
    auto contents = r.range(data, usize, "entry " + name);
    if (!entries_.emplace(std::move(name), contents).second) {
      r.fail("duplicate entry " +
             std::string(reinterpret_cast<const char*>(name_bytes.data()), name_bytes.size()));
    }
    p += 46 + name_len + extra_len + comment_len;
  }
}

const std::span<const std::byte>* ZipArchive::find(std::string_view name) const {
  auto it = entries_.find(name);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace finsent::io::detail
