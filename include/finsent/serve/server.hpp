// The HTTP service: TEI-compatible /predict plus /health, /info, /metrics and a page at /.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "finsent/serve/batcher.hpp"
#include "finsent/serve/classifier_backend.hpp"
#include "finsent/serve/metrics.hpp"
#include "finsent/serve/predict_request.hpp"

namespace finsent::serve {

class HttpServer;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                         // 0 picks a free port (see Server::bind)
  size_t payload_limit = 2 * 1024 * 1024;  // request body bytes; more is a 413
  RequestLimits limits;
  BatcherOptions batching;
  size_t max_concurrent_requests = 512;  // /predict requests in flight; more is a 429
  size_t http_threads = 64;              // connection threads started up front
  size_t max_connections = 512;          // connections served at once; more get 503 and close
  // A request's headers and body must arrive within this of its first byte, else the connection
  // is closed (a 408 when the body was late); an answer's write fails after this without progress.
  std::chrono::milliseconds request_timeout{10000};
  std::chrono::milliseconds keep_alive_timeout{5000};  // idle time before a connection is closed
  std::chrono::milliseconds drain_timeout{10000};      // stop() to the last connection closed
};

// Serves one backend. Typical use: bind(), then run() on some thread, stop() from another
// (a signal watcher); run() returns once every accepted request has its answer (requests read
// after stop() get 503 `shutting_down`), at the latest drain_timeout after stop(): connections
// still open then are shut down (connections_cut() counts them).
class Server {
 public:
  Server(ClassifierBackend& backend, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port (the chosen one when options.port == 0).
  // Throws IoError when the address cannot be bound.
  int bind();
  // Accepts and answers requests until stop(); then drains in-flight requests and the batch queue.
  void run();
  // Stops accepting and starts the drain; safe from any thread, repeatable. Before run() has
  // started its accept loop it has no effect on the loop: call it again (as a signal watcher does).
  void stop();
  // Connections shut down at the drain deadline (0 when every one finished in time).
  size_t connections_cut() const;
  // True once the socket is bound (the model is loaded before the server is built).
  bool bound() const { return port_ > 0; }

  Metrics& metrics() { return metrics_; }

 private:
  void install_routes();

  ClassifierBackend& backend_;
  ServerOptions options_;
  Metrics metrics_;
  DynamicBatcher batcher_;
  std::unique_ptr<HttpServer> http_;
  int port_ = 0;
};

// The self-contained HTML page served at GET /.
const std::string& index_page();

}  // namespace finsent::serve
