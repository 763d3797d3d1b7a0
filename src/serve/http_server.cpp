// Connection handling for httplib::Server: per-connection threads, request deadlines, draining.
#include "http_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "connection_pool.hpp"
#include "deadline_stream.hpp"

namespace finsent::serve {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// What the handlers of the request being served on this thread asked of its connection.
struct ConnectionState {
  bool close = false;
  DeadlineStream* stream = nullptr;
};
thread_local ConnectionState current;

constexpr milliseconds kPollSlice{50};
// After the last answer, unread bytes are discarded this long so that closing does not reset the
// connection before the client has read the answer (a reset can drop what it had not read yet).
constexpr milliseconds kLingerTime{1000};
// A refused connection lingers less: it is handled on the accept loop's thread.
constexpr milliseconds kRefusedLingerTime{50};
constexpr size_t kLingerBytes = 4 << 20;

// Sends FIN and discards what the client still sends for up to `linger` (bounded in bytes too);
// the caller closes.
void finish_sending(socket_t sock, milliseconds linger) {
  shutdown(sock, SHUT_WR);
  char sink[4096];
  const auto until = Clock::now() + linger;
  for (size_t discarded = 0; discarded < kLingerBytes;) {
    const ssize_t n = recv(sock, sink, sizeof sink, MSG_DONTWAIT);
    if (n > 0) {
      discarded += static_cast<size_t>(n);
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
    const auto left = std::chrono::duration_cast<milliseconds>(until - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{sock, POLLIN, 0};
    poll(&p, 1, static_cast<int>(left));
  }
}

// The answer for a connection over --max-connections: written without waiting, then closed.
void refuse(socket_t sock) {
  static const std::string body =
      R"({"error":"too many connections (--max-connections); retry later","error_type":"overloaded"})";
  static const std::string answer =
      "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body;
  [[maybe_unused]] const ssize_t n =
      send(sock, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  finish_sending(sock, kRefusedLingerTime);
  close(sock);
}

}  // namespace

HttpServer::HttpServer(ConnectionLimits limits) : limits_(limits) {
  new_task_queue = [this] {
    auto* pool = new ConnectionPool(
        limits_.initial_threads, limits_.max_connections, [this] { return drain_deadline(); },
        [this] { cut_connections(); });
    pool_ = pool;
    return pool;
  };
  set_keep_alive_max_count(limits_.keep_alive_max);
  const auto seconds = [](milliseconds d) { return std::max<time_t>(1, d.count() / 1000); };
  set_keep_alive_timeout(seconds(limits_.keep_alive_timeout));
  set_read_timeout(limits_.request_timeout);
  set_write_timeout(limits_.write_timeout);
}

void HttpServer::close_after_response() {
  current.close = true;
}

int HttpServer::read_limit_hit() {
  return current.stream ? static_cast<int>(current.stream->exceeded()) : 0;
}

Clock::time_point HttpServer::drain_deadline() {
  std::lock_guard lock(mutex_);
  if (drain_deadline_ == Clock::time_point{})
    drain_deadline_ = Clock::now() + limits_.drain_timeout;
  return drain_deadline_;
}

void HttpServer::begin_drain() {
  if (!draining_.exchange(true)) {
    drain_deadline();
    accept_backlog();
  }
  stop();
}

// Connections the kernel has completed but httplib has not accepted yet would be reset when the
// listening socket closes: take them now, so that each gets an answer.
void HttpServer::accept_backlog() {
  ConnectionPool* pool = pool_;
  const socket_t listener = svr_sock_;
  if (!pool || listener == INVALID_SOCKET || !is_running()) return;
  fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) | O_NONBLOCK);
  for (;;) {
    const socket_t sock = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    if (sock < 0) {
      if (errno == EINTR) continue;
      break;
    }
    timeval tv{static_cast<time_t>(limits_.write_timeout.count() / 1000),
               static_cast<suseconds_t>(limits_.write_timeout.count() % 1000 * 1000)};
    setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    pool->enqueue([this, sock] { process_and_close_socket(sock); });
  }
}

void HttpServer::cut_connections() {
  cut_ = true;
  std::lock_guard lock(mutex_);
  for (const socket_t sock : open_) shutdown(sock, SHUT_RDWR);
  connections_cut_ += open_.size();
}

bool HttpServer::wait_for_request(socket_t sock) const {
  const auto deadline = Clock::now() + limits_.keep_alive_timeout;
  for (;;) {
    if (cut_) return false;
    pollfd p{sock, POLLIN, 0};
    const int n = poll(&p, 1, static_cast<int>(kPollSlice.count()));
    if (n > 0) return true;  // a request, or the client's close (process_request sees which)
    if (n < 0 && errno != EINTR) return false;
    if (draining_ || Clock::now() >= deadline) return false;
  }
}

bool HttpServer::process_and_close_socket(socket_t sock) {
  if (ConnectionPool::refusing() || cut_) {
    refuse(sock);
    return true;
  }
  {
    std::lock_guard lock(mutex_);
    open_.insert(sock);
  }
  bool linger = false;
  for (size_t served = 0; served < limits_.keep_alive_max && wait_for_request(sock);) {
    ++served;
    DeadlineStream stream(sock, Clock::now() + limits_.request_timeout, limits_.write_timeout,
                          limits_.max_request_bytes);
    current = ConnectionState{false, &stream};
    const bool last = draining_ || served == limits_.keep_alive_max;
    bool closed = false;
    const bool ok = process_request(stream, last, closed, nullptr);
    // A request cut off at a limit leaves the connection mid-message: it cannot carry another.
    linger = !ok || current.close || stream.exceeded() != DeadlineStream::Limit::none;
    const bool close_now = linger || closed || last;
    current = ConnectionState{};
    if (close_now) break;
  }
  finish_sending(sock, linger && !cut_ ? kLingerTime : milliseconds(0));
  {
    // Forgotten before close(), so that cut_connections() never touches a reused descriptor.
    std::lock_guard lock(mutex_);
    open_.erase(sock);
  }
  close(sock);
  return true;
}

}  // namespace finsent::serve
