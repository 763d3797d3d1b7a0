// One HTTP request's view of a connection socket: reads end at a deadline and a byte cap.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>

namespace finsent::serve {

// A cpp-httplib Stream over a connected socket for reading one request and writing its answer.
// Unlike httplib's own stream, whose timeout restarts with every byte (so a client sending one
// byte every few seconds is never dropped), reading fails (-1) once `read_deadline` has passed or
// once more than `max_read_bytes` have been read (headers, chunk framing and body together), and
// exceeded() then says which. A write fails after `write_timeout` without progress. The socket is
// not owned.
class DeadlineStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Limit { none, deadline, bytes };

  DeadlineStream(int fd, Clock::time_point read_deadline, std::chrono::milliseconds write_timeout,
                 size_t max_read_bytes);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // Which limit ended reading, if any.
  Limit exceeded() const { return exceeded_; }

 private:
  int fd_;
  Clock::time_point read_deadline_;
  std::chrono::milliseconds write_timeout_;
  size_t max_read_bytes_;
  size_t read_bytes_ = 0;
  Limit exceeded_ = Limit::none;
  std::array<char, 4096> buffer_{};
  size_t buffer_begin_ = 0, buffer_end_ = 0;
};

}  // namespace finsent::serve
