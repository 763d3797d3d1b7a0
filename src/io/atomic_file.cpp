// Atomic file replacement: temp file in the target's directory, fsync, rename, fsync directory.
#include "finsent/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <streambuf>
#include <string>
#include <vector>

#include "finsent/core/error.hpp"

namespace finsent::io {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

// A streambuf writing straight to a POSIX descriptor, so the bytes can be fsync'ed (std::ofstream
// exposes no descriptor) and the first write error's errno is kept for the commit() message.
class FdStreamBuf : public std::streambuf {
 public:
  explicit FdStreamBuf(int fd) : fd_(fd), buffer_(1 << 16) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    // Large blocks (tensor data) bypass the buffer to avoid a second copy.
    if (n >= static_cast<std::streamsize>(buffer_.size())) {
      if (!drain() || !write_all(s, static_cast<size_t>(n))) return 0;
      return n;
    }
    return std::streambuf::xsputn(s, n);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    size_t n = static_cast<size_t>(pptr() - pbase());
    bool ok = write_all(pbase(), n);
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return ok;
  }
  bool write_all(const char* p, size_t n) {
    if (error_ != 0) return false;
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = errno;
        return false;
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  int error_ = 0;
};

std::filesystem::path directory_of(const std::filesystem::path& target) {
  auto parent = target.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// Creates a fresh temp file next to `target` with O_EXCL and mode 0666 (the umask applies, as
// for any new file), retrying on name collisions. Returns the descriptor and sets `temp`.
int create_temp(const std::filesystem::path& target, std::filesystem::path& temp) {
  static std::atomic<uint64_t> counter{0};
  std::random_device rd;
  auto dir = directory_of(target);
  for (int attempt = 0; attempt < 100; ++attempt) {
    uint64_t tag = (static_cast<uint64_t>(rd()) << 32) ^ rd() ^ counter.fetch_add(1);
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp.%012llx",
                  static_cast<unsigned long long>(tag & 0xffffffffffffULL));
    std::string name(1, '.');
    name += target.filename().string();
    name += suffix;
    temp = dir / name;
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      throw IoError("cannot write " + target.string() + ": cannot create a temporary file in " +
                    dir.string() + ": " + errno_text(errno));
    }
  }
  throw IoError("cannot write " + target.string() + ": no free temporary file name in " +
                dir.string());
}

void fsync_directory(const std::filesystem::path& target) {
  auto dir = directory_of(target);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    throw IoError("cannot write " + target.string() + ": cannot open directory " + dir.string() +
                  " to sync it: " + errno_text(errno));
  }
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  // Some file systems cannot sync directories at all; the rename itself has happened.
  if (rc != 0 && err != EINVAL && err != ENOTSUP) {
    throw IoError("cannot write " + target.string() + ": cannot sync directory " + dir.string() +
                  ": " + errno_text(err));
  }
}

}  // namespace

struct AtomicFile::Impl {
  std::filesystem::path target;
  std::filesystem::path temp;
  int fd = -1;
  std::unique_ptr<FdStreamBuf> buf;
  std::unique_ptr<std::ostream> stream;
  bool done = false;

  void discard() {
    if (fd >= 0) ::close(fd);
    fd = -1;
    if (!temp.empty()) ::unlink(temp.c_str());
    temp.clear();
  }
  [[noreturn]] void fail(const std::string& what, int err) {
    discard();
    done = true;
    throw IoError("cannot write " + target.string() + ": " + what + ": " + errno_text(err));
  }
};

AtomicFile::AtomicFile(std::filesystem::path target) : impl_(std::make_unique<Impl>()) {
  if (target.empty() || !target.has_filename()) {
    throw IoError("cannot write '" + target.string() + "': not a file path");
  }
  impl_->target = std::move(target);
  impl_->fd = create_temp(impl_->target, impl_->temp);
  impl_->buf = std::make_unique<FdStreamBuf>(impl_->fd);
  impl_->stream = std::make_unique<std::ostream>(impl_->buf.get());
}

AtomicFile::~AtomicFile() {
  if (impl_ && !impl_->done) impl_->discard();
}

std::ostream& AtomicFile::stream() {
  return *impl_->stream;
}

const std::filesystem::path& AtomicFile::target() const {
  return impl_->target;
}

void AtomicFile::prepare() {
  Impl& s = *impl_;
  if (s.done) throw IoError("cannot write " + s.target.string() + ": already committed or failed");
  if (s.fd < 0) return;  // prepared already
  s.stream->flush();
  if (s.buf->error() != 0) s.fail("write failed", s.buf->error());
  if (!*s.stream) s.fail("write failed", EIO);
  if (::fsync(s.fd) != 0) s.fail("fsync failed", errno);
  if (::close(s.fd) != 0) {
    s.fd = -1;
    s.fail("close failed", errno);
  }
  s.fd = -1;
}

void AtomicFile::commit() {
  prepare();
  Impl& s = *impl_;
  if (::rename(s.temp.c_str(), s.target.c_str()) != 0) s.fail("rename failed", errno);
  s.temp.clear();
  s.done = true;
  fsync_directory(s.target);
}

void write_file_atomic(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile file(path);
  file.stream().write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.commit();
}

void commit_all(const std::vector<AtomicFile*>& files) {
  for (AtomicFile* f : files) f->prepare();
  for (AtomicFile* f : files) f->commit();
}

}  // namespace finsent::io
