// Test helper: a plain TCP client on 127.0.0.1 that sends exactly the bytes a test gives it (slow,
// chunked, endless) and reads the status line of whatever answer comes back.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace finsent::serve::testing {

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~RawClient() {
    if (fd_ >= 0) close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  // Sends all of `bytes`; false when the server closed or reset the connection.
  bool send_all(const std::string& bytes) {
    for (size_t off = 0; off < bytes.size();) {
      const ssize_t n = send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }
  // True when the server has sent something (an answer, or its close) within `ms`.
  bool readable(int ms) const {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, ms) > 0;
  }
  // Reads until the connection closes or `ms` pass; returns everything read.
  std::string read_all(int ms) { return read_until({}, ms); }
  // Reads until `marker` (when not empty) has been read, the connection closes or `ms` pass;
  // returns all read.
  std::string read_until(const std::string& marker, int ms) {
    std::string out;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    char buf[4096];
    while ((marker.empty() || out.find(marker) == std::string::npos) &&
           std::chrono::steady_clock::now() < until) {
      if (!readable(10)) continue;
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // The status code of the answer read within `ms` (0 when none came).
  int status(int ms) {
    const std::string answer = read_all(ms);
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
  }
  // True when the server closed the connection (EOF or reset) within `ms`.
  bool closed_by_server(int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    char buf[4096];
    while (std::chrono::steady_clock::now() < until) {
      if (!readable(10)) continue;
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  int fd_ = -1;
};

}  // namespace finsent::serve::testing
