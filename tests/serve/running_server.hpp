// Test helper: a finsent::serve::Server on 127.0.0.1, an ephemeral port, run on its own thread.
#pragma once

#include <httplib.h>

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
    httplib::Client probe("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = probe.Get("/health"); res && res->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
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

 private:
  std::unique_ptr<Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace finsent::serve::testing
