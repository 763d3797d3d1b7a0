// `finsent serve`: the HTTP service over one model, until SIGINT/SIGTERM.
#include <poll.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "cli_device_option.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/serve/server.hpp"
#include "finsent/serve/text_classifier_backend.hpp"

namespace finsent::app {
namespace {

struct ServeArgs {
  std::string model, device;
  serve::ServerOptions options;
  size_t max_wait_ms = 5;
  bool no_batching = false;
  double request_timeout_s = 10;
  double keep_alive_timeout_s = 5;
  double drain_timeout_s = 10;
};

std::chrono::milliseconds to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

// SIGINT/SIGTERM handlers only write the signal number to this pipe (async-signal-safe); a
// watcher thread reads it. Handlers, unlike a blocked mask, also cover threads LibTorch started
// before serve ran.
int signal_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int sig) {
  const unsigned char byte = static_cast<unsigned char>(sig);
  [[maybe_unused]] const ssize_t n = write(signal_pipe[1], &byte, 1);
}

void install_stop_handlers() {
  if (pipe(signal_pipe) != 0) throw IoError("cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void run(ServeArgs& a) {
  serve::ServerOptions& o = a.options;
  o.batching.max_wait = std::chrono::milliseconds(a.max_wait_ms);
  o.batching.enabled = !a.no_batching;
  o.request_timeout = to_ms(a.request_timeout_s);
  o.keep_alive_timeout = to_ms(a.keep_alive_timeout_s);
  o.drain_timeout = to_ms(a.drain_timeout_s);

  const std::string device = device_from(a.device).str();
  auto backend = serve::load_classifier_backend(
      a.model, a.model, static_cast<int64_t>(std::max<size_t>(o.batching.max_batch_size, 1)),
      device);
  serve::Server server(*backend, o);
  const int port = server.bind();
  install_stop_handlers();
  std::cout << "finsent: serving " << a.model << " on http://" << o.host << ":" << port
            << " (Ctrl-C to stop)" << std::endl;

  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished) {
      pollfd p{signal_pipe[0], POLLIN, 0};
      if (poll(&p, 1, 200) <= 0) continue;
      unsigned char sig = 0;
      if (read(signal_pipe[0], &sig, 1) != 1) continue;
      std::cerr << "finsent: " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                << ": answering the requests already received (at most --drain-timeout)"
                << std::endl;
      // stop() only takes effect once the accept loop runs; repeat until run() has returned.
      while (!finished) {
        server.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  });
  server.run();
  finished = true;
  watcher.join();
  if (const size_t cut = server.connections_cut())
    std::cerr << "finsent: " << cut << " connection(s) still open at --drain-timeout were closed"
              << std::endl;
  std::cout << "finsent: stopped" << std::endl;
}

RegisterCommand reg(80, [](CLI::App& root) {
  auto args = std::make_shared<ServeArgs>();
  serve::ServerOptions& o = args->options;
  CLI::App* cmd = root.add_subcommand(
      "serve", "HTTP JSON API (text-embeddings-inference /predict) and a page at /");
  cmd->add_option("--model", args->model,
                  "Model directory (config.json, weights, vocab) or cached Hub id")
      ->required()
      ->transform(model_dir_or_hub_id());
  cmd->add_option("--host", o.host, "Address to listen on")->default_val("127.0.0.1");
  cmd->add_option("--port", o.port, "Port (0 picks a free one)")
      ->default_val(8080)
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--max-batch-tokens", o.batching.max_batch_tokens,
                  "Tokens per forward pass, summed over its inputs")
      ->default_val(16384)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-batch-size", o.batching.max_batch_size, "Inputs per forward pass")
      ->default_val(64)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-wait-ms", args->max_wait_ms,
                  "How long a request may wait for others to batch with")
      ->default_val(5);
  cmd->add_flag("--no-batching", args->no_batching,
                "One forward pass per request (for comparison with dynamic batching)");
  cmd->add_option("--max-concurrent-requests", o.max_concurrent_requests,
                  "Requests in flight before answering 429")
      ->default_val(512)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-client-batch-size", o.limits.max_client_batch_size,
                  "Inputs per request before answering 422")
      ->default_val(32)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-input-chars", o.limits.max_input_chars,
                  "Characters per input before answering 413")
      ->default_val(100000)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--payload-limit", o.payload_limit,
                  "Request body size before answering 413 (bytes; 2MB = 2 MiB)")
      ->transform(CLI::AsSizeValue(false))
      ->default_val("2MB");
  cmd->add_option("--http-threads", o.http_threads,
                  "Connection threads started up front (more start as connections need them)")
      ->default_val(64)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-connections", o.max_connections,
                  "Connections served at once; more are answered 503 and closed")
      ->default_val(512)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--request-timeout", args->request_timeout_s,
                  "Seconds for a request's headers and body to arrive; slower clients are "
                  "disconnected")
      ->default_val(10)
      ->check(CLI::Range(0.001, 86400.0));
  cmd->add_option("--keep-alive-timeout", args->keep_alive_timeout_s,
                  "Seconds an idle keep-alive connection is kept open")
      ->default_val(5)
      ->check(CLI::Range(0.001, 86400.0));
  cmd->add_option("--drain-timeout", args->drain_timeout_s,
                  "Seconds after SIGINT/SIGTERM before connections still open are closed")
      ->default_val(10)
      ->check(CLI::Range(0.0, 86400.0));
  add_device_option(cmd, args->device);
  cmd->callback([args] { run(*args); });
});

}  // namespace
}  // namespace finsent::app
