// Reading a request against a deadline and a byte cap; writing with a no-progress timeout.
#include "deadline_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace finsent::serve {
namespace {

using Clock = DeadlineStream::Clock;

// Waits until `fd` has `events` or `deadline` passes; true when ready (or in error, so that the
// following recv/send reports it).
bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000 * 1000)));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;
  }
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

}  // namespace

DeadlineStream::DeadlineStream(int fd, Clock::time_point read_deadline,
                               std::chrono::milliseconds write_timeout, size_t max_read_bytes)
    : fd_(fd),
      read_deadline_(read_deadline),
      write_timeout_(write_timeout),
      max_read_bytes_(max_read_bytes) {}

bool DeadlineStream::is_readable() const {
  return buffer_begin_ < buffer_end_ || wait_for(fd_, POLLIN, read_deadline_);
}

bool DeadlineStream::is_writable() const {
  return wait_for(fd_, POLLOUT, Clock::now() + write_timeout_);
}

ssize_t DeadlineStream::read(char* ptr, size_t size) {
  if (buffer_begin_ == buffer_end_) {
    if (exceeded_ != Limit::none) return -1;
    if (read_bytes_ >= max_read_bytes_) {
      exceeded_ = Limit::bytes;
      return -1;
    }
    if (!wait_for(fd_, POLLIN, read_deadline_)) {
      exceeded_ = Limit::deadline;
      return -1;
    }
    const size_t want = std::min(buffer_.size(), max_read_bytes_ - read_bytes_);
    ssize_t n;
    do {
      n = recv(fd_, buffer_.data(), want, 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    read_bytes_ += static_cast<size_t>(n);
    buffer_begin_ = 0;
    buffer_end_ = static_cast<size_t>(n);
  }
  const size_t n = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(ptr, buffer_.data() + buffer_begin_, n);
  buffer_begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t DeadlineStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    n = send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void DeadlineStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, ip, port);
}

void DeadlineStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, ip, port);
}

}  // namespace finsent::serve
