// RunLock: flock on OUT/.finsent.lock, the holder's identity written inside for the refusal
// message.
#include "finsent/train/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "finsent/core/error.hpp"

namespace finsent::train {
namespace {

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "unknown host";
  return host;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &tm);
  return text;
}

// What the holder wrote (one line), or a placeholder while it has not written it yet.
std::string read_holder(int fd) {
  char buffer[512];
  const ssize_t n = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text(buffer, n > 0 ? static_cast<size_t>(n) : 0);
  const size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  return text.empty() ? "holder not yet recorded" : text;
}

}  // namespace

RunLock::RunLock(const std::filesystem::path& dir, const std::string& what)
    : path_(dir / ".finsent.lock") {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError(dir.string() + ": cannot create: " + ec.message());
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IoError(path_.string() + ": cannot open lock file: " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = read_holder(fd_);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw InputError(dir.string() + " is in use by another finsent run (" + holder +
                       "); wait for it to finish or choose another output folder");
    throw IoError(path_.string() + ": cannot lock: " + std::strerror(err));
  }
  const std::string line = "pid " + std::to_string(::getpid()) + " on " + host_name() +
                           ", started " + utc_now() + " UTC (" + what + ")\n";
  // Best effort: the lock itself is what excludes; the text only names the holder.
  const bool recorded = ::ftruncate(fd_, 0) == 0 && ::pwrite(fd_, line.data(), line.size(), 0) ==
                                                        static_cast<ssize_t>(line.size());
  (void)recorded;
}

RunLock::~RunLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace finsent::train
