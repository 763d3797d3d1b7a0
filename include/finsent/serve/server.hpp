// The HTTP service: TEI-compatible /predict plus /health, /info, /metrics and a page at /.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "finsent/serve/batcher.hpp"
#include "finsent/serve/classifier_backend.hpp"
#include "finsent/serve/metrics.hpp"
#include "finsent/serve/predict_request.hpp"

namespace httplib {
class Server;
}

namespace finsent::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                         // 0 picks a free port (see Server::bind)
  size_t payload_limit = 2 * 1024 * 1024;  // request body bytes; more is a 413
  RequestLimits limits;
  BatcherOptions batching;
  size_t max_concurrent_requests = 512;  // /predict requests in flight; more is a 429
  size_t http_threads = 64;              // connections served at once (keep-alive holds one)
};

// Serves one backend. Typical use: bind(), then run() on some thread, stop() from another
// (a signal watcher); run() returns once in-flight requests are answered.
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
  // Stops accepting; safe from any thread, also before run().
  void stop();
  // True once the socket is bound (the model is loaded before the server is built).
  bool bound() const { return port_ > 0; }

  Metrics& metrics() { return metrics_; }

 private:
  void install_routes();

  ClassifierBackend& backend_;
  ServerOptions options_;
  Metrics metrics_;
  DynamicBatcher batcher_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
};

// The self-contained HTML page served at GET /.
const std::string& index_page();

}  // namespace finsent::serve
