// cpp-httplib's server with the connection handling finsent needs under abusive clients.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <set>

namespace finsent::serve {

class ConnectionPool;

struct ConnectionLimits {
  size_t initial_threads = 64;   // connection threads started up front
  size_t max_connections = 512;  // connections served at once; more are answered 503 and closed
  size_t keep_alive_max = 1000;  // requests per connection
  size_t max_request_bytes = 0;  // bytes one request may send (headers, framing, body)
  std::chrono::milliseconds request_timeout{10000};    // first byte to last byte of a request
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle wait for the next request
  std::chrono::milliseconds write_timeout{10000};      // an answer's write without progress
  std::chrono::milliseconds drain_timeout{10000};      // from stop to the last connection closed
};

// httplib::Server whose connections are served by finsent's own loop (httplib still parses,
// routes and writes): each connection has its own thread (ConnectionPool), so slow or idle
// clients never keep others waiting; a request must arrive whole within request_timeout and
// max_request_bytes (DeadlineStream), else the connection is closed; past max_connections a
// connection gets 503 at once. begin_drain() stops accepting, takes the connections already
// queued in the kernel's backlog, and lets every connection finish the request it has (handlers
// see draining() and answer 503) before closing; connections still open at drain_timeout are cut.
class HttpServer : public httplib::Server {
 public:
  explicit HttpServer(ConnectionLimits limits);

  // Starts the drain (idempotent, any thread); then stops the accept loop. listen_after_bind()
  // returns once every connection has closed, at the latest drain_timeout later.
  void begin_drain();
  bool draining() const { return draining_; }
  // Connections shut down because they were still open at the drain deadline.
  size_t connections_cut() const { return connections_cut_; }

  // Called from a handler: close this connection after the answer (its body was not read whole).
  static void close_after_response();
  // Which limit ended the current request's read (DeadlineStream::Limit as int; 0 = none).
  static int read_limit_hit();

 private:
  bool process_and_close_socket(socket_t sock) override;
  bool wait_for_request(socket_t sock) const;
  void accept_backlog();
  void cut_connections();
  std::chrono::steady_clock::time_point drain_deadline();

  ConnectionLimits limits_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> cut_{false};
  std::atomic<size_t> connections_cut_{0};
  std::atomic<ConnectionPool*> pool_{nullptr};
  std::mutex mutex_;  // guards open_, drain_deadline_
  std::set<socket_t> open_;
  std::chrono::steady_clock::time_point drain_deadline_{};
};

}  // namespace finsent::serve
