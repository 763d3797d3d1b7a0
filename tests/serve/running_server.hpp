// Test helper: a finsent::serve::Server on 127.0.0.1, an ephemeral port, run on its own thread.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

#include "finsent/serve/server.hpp"

namespace finsent::serve::testing {

class RunningServer {
 public:
  RunningServer(ClassifierBackend& backend, ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(backend, std::move(options));
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->run(); });
    // Wait until requests are answered (listen_after_bind has started its accept loop).
    health_within(std::chrono::seconds(2));
  }
  ~RunningServer() {
    server_->stop();
    thread_.join();
  }
  int port() const { return port_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }
  Server& server() { return *server_; }
  // Whether GET /health answers 200 within `limit`, asked every 10 ms.
  bool health_within(std::chrono::milliseconds limit) const {
    httplib::Client probe("127.0.0.1", port_);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    do {
      if (auto res = probe.Get("/health"); res && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }

 private:
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace finsent::serve::testing
