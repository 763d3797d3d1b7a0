// The HTTP service over cpp-httplib: routes, validation, error mapping, metrics, shutdown.
#include "finsent/serve/server.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

#include "deadline_stream.hpp"
#include "finsent/core/error.hpp"
#include "finsent/serve/api_error.hpp"
#include "finsent/serve/scores.hpp"
#include "http_server.hpp"

#ifndef FINSENT_VERSION
#define FINSENT_VERSION "unknown"
#endif

namespace finsent::serve {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kJson = "application/json";

// Which methods each known path answers; anything else on a known path is a 405.
struct Route {
  const char* path;
  const char* allow;
};
constexpr Route kRoutes[] = {{"/", "GET, HEAD"},
                             {"/health", "GET, HEAD"},
                             {"/info", "GET, HEAD"},
                             {"/metrics", "GET, HEAD"},
                             {"/predict", "POST"}};

const Route* find_route(const std::string& path) {
  for (const Route& r : kRoutes)
    if (path == r.path) return &r;
  return nullptr;
}

// Requests are answered on the thread that read them, so the start time can live here between the
// pre-routing hook and the logger.
thread_local std::optional<Clock::time_point> request_started;

void send_error(httplib::Response& res, int status, const std::string& type,
                const std::string& message) {
  res.status = status;
  res.set_content(error_body(message, type), kJson);
}

json scores_json(const std::vector<LabelScore>& scores) {
  json out = json::array();
  for (const LabelScore& s : scores) out.push_back({{"label", s.label}, {"score", s.score}});
  return out;
}

std::string status_message(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 404:
      return "not found";
    case 405:
      return "method not allowed";
    case 413:
      return "request body larger than --payload-limit";
    case 429:
      return "too many requests";
    case 503:
      return "the server is shutting down";
    default:
      return "HTTP status " + std::to_string(status);
  }
}

std::string status_type(int status) {
  switch (status) {
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 429:
      return "overloaded";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "backend" : "validation";
  }
}

// Methods whose requests httplib reads a body for before routing (detail::expect_content).
bool has_body(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" ||
         method == "PRI";
}

// Reads a request body through `reader` up to `limit` bytes. Throws ApiError: 413 past the limit
// (Content-Length or chunked alike; the rest is not read), 408 when it arrives too slowly (past
// --request-timeout), 400 when the framing is broken or the client went away. On any of these the
// connection is closed after the answer.
std::string read_body(const httplib::ContentReader& reader, size_t limit, httplib::Response& res) {
  std::string body;
  bool too_large = false;
  const bool complete = reader([&](const char* data, size_t n) {
    if (n > limit - body.size()) return !(too_large = true);
    body.append(data, n);
    return true;
  });
  if (complete) return body;
  const int httplib_status = res.status;  // 413 when the Content-Length was over the limit
  HttpServer::close_after_response();
  res.set_header("Connection", "close");
  const auto limit_hit = static_cast<DeadlineStream::Limit>(HttpServer::read_limit_hit());
  if (too_large || httplib_status == 413 || limit_hit == DeadlineStream::Limit::bytes)
    throw ApiError(413, "payload_too_large",
                   "request body larger than --payload-limit " + std::to_string(limit) + " bytes");
  if (limit_hit == DeadlineStream::Limit::deadline)
    throw ApiError(408, "timeout", "request body did not arrive within --request-timeout");
  throw ApiError(400, "validation", "request body is incomplete or its chunked framing is broken");
}

// Counts a /predict request as in flight until it leaves, however it leaves.
class InflightGuard {
 public:
  explicit InflightGuard(Metrics& metrics) : metrics_(metrics), value_(metrics_.add_inflight(+1)) {}
  ~InflightGuard() { metrics_.add_inflight(-1); }
  size_t value() const { return value_; }

 private:
  Metrics& metrics_;
  size_t value_;
};

}  // namespace

Server::Server(ClassifierBackend& backend, ServerOptions options)
    : backend_(backend),
      options_(std::move(options)),
      batcher_(backend_, options_.batching, &metrics_) {
  ConnectionLimits limits;
  limits.initial_threads = std::max<size_t>(options_.http_threads, 1);
  limits.max_connections = std::max(options_.max_connections, limits.initial_threads);
  limits.request_timeout = options_.request_timeout;
  limits.write_timeout = options_.request_timeout;
  limits.keep_alive_timeout = options_.keep_alive_timeout;
  limits.drain_timeout = options_.drain_timeout;
  // Headers, chunk framing and body together: room for the largest body sent in small chunks,
  // while a stream of headers or framing without end is cut off.
  const size_t half_max = std::numeric_limits<size_t>::max() / 2 - (1 << 20);
  limits.max_request_bytes = 2 * std::min(options_.payload_limit, half_max) + (1 << 20);
  http_ = std::make_unique<HttpServer>(limits);
  http_->set_payload_max_length(options_.payload_limit);
  // A response goes out in more than one write; with Nagle's algorithm the later ones waited for
  // the client's delayed ACK, adding ~40-90 ms to every keep-alive request.
  http_->set_tcp_nodelay(true);
  install_routes();
}

Server::~Server() {
  stop();
  batcher_.stop();
}

void Server::install_routes() {
  // Everything no route takes: a known path with the wrong method, or an unknown path.
  auto fallback = [](const httplib::Request& req, httplib::Response& res) {
    if (const Route* route = find_route(req.path)) {
      res.set_header("Allow", route->allow);
      send_error(res, 405, "method_not_allowed",
                 req.method + " " + req.path + " is not allowed (allowed: " + route->allow + ")");
    } else {
      send_error(res, 404, "not_found", "no route " + req.path);
    }
  };
  http_->set_pre_routing_handler(
      [this, fallback](const httplib::Request& req, httplib::Response& res) {
        request_started = Clock::now();
        if (http_->draining()) {
          HttpServer::close_after_response();
          res.set_header("Connection", "close");
          res.set_header("Retry-After", "1");
          send_error(res, 503, "unavailable", "the server is shutting down");
          return httplib::Server::HandlerResponse::Handled;
        }
        // Only /predict reads a body (bounded, as it arrives); any other request with one is
        // answered without reading it, so no route can be made to buffer an unbounded chunked
        // upload.
        if (has_body(req.method) && !(req.method == "POST" && req.path == "/predict")) {
          HttpServer::close_after_response();
          res.set_header("Connection", "close");
          fallback(req, res);
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  // Recorded just before the response is written (httplib's logger runs after), so a client that
  // has its answer always finds it counted in /metrics.
  http_->set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const double seconds =
        request_started ? std::chrono::duration<double>(Clock::now() - *request_started).count()
                        : 0.0;
    request_started.reset();
    metrics_.observe_request(find_route(req.path) ? req.path : "other", res.status, seconds);
  });
  // Statuses httplib sets itself (413 for the payload limit, 400 for an unparsable request) get the
  // same JSON error body as ours; responses that already have a body are left alone.
  http_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        send_error(res, res.status, status_type(res.status), status_message(res.status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string message = "internal error";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          message = e.what();
        } catch (...) {
        }
        send_error(res, 500, "backend", message);
      });

  http_->Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(index_page(), "text/html; charset=utf-8");
  });
  http_->Get("/health", [](const httplib::Request&, httplib::Response& res) {
    // The model is loaded before the server exists, so being able to answer means healthy.
    res.set_content(R"({"status":"ok"})", kJson);
  });
  http_->Get("/info", [this](const httplib::Request&, httplib::Response& res) {
    const auto& labels = backend_.labels();
    json id2label = json::object(), label2id = json::object();
    for (size_t i = 0; i < labels.size(); ++i) {
      id2label[std::to_string(i)] = labels[i];
      label2id[labels[i]] = i;
    }
    json info{
        {"model_id", backend_.model_id()},
        {"model_dtype", backend_.dtype()},
        {"model_type", {{"classifier", {{"id2label", id2label}, {"label2id", label2id}}}}},
        {"labels", labels},
        {"max_input_length", backend_.max_input_length()},
        {"max_concurrent_requests", options_.max_concurrent_requests},
        {"max_batch_tokens", options_.batching.max_batch_tokens},
        {"max_batch_requests", options_.batching.max_batch_size},
        {"max_wait_ms", options_.batching.max_wait.count()},
        {"dynamic_batching", options_.batching.enabled},
        {"max_client_batch_size", options_.limits.max_client_batch_size},
        {"max_input_chars", options_.limits.max_input_chars},
        {"payload_limit", options_.payload_limit},
        {"version", FINSENT_VERSION},
    };
    res.set_content(info.dump(-1, ' ', false, json::error_handler_t::replace), kJson);
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  http_->Post("/predict", [this](const httplib::Request&, httplib::Response& res,
                                 const httplib::ContentReader& reader) {
    try {
      const std::string body = read_body(reader, options_.payload_limit, res);
      InflightGuard inflight(metrics_);
      if (inflight.value() > options_.max_concurrent_requests)
        throw ApiError(429, "overloaded",
                       "model is overloaded: more than --max-concurrent-requests " +
                           std::to_string(options_.max_concurrent_requests) + " in flight");
      PredictRequest request = parse_predict_request(body, options_.limits);
      if (!request.truncate) {
        const size_t cap = backend_.max_input_length();
        for (size_t i = 0; i < request.inputs.size(); ++i) {
          const size_t n = backend_.count_tokens(request.inputs[i]);
          if (n > cap)
            throw ApiError(422, "validation",
                           "input " + std::to_string(i) + " has " + std::to_string(n) +
                               " tokens, more than the model's max input length " +
                               std::to_string(cap) + " (send \"truncate\": true to cut it)");
        }
      }
      const auto logits = batcher_.run(request.inputs, request.truncate);
      json out = json::array();
      for (const auto& row : logits)
        out.push_back(scores_json(ranked_scores(backend_.labels(), row, request.raw_scores)));
      res.set_content((request.batch ? out : out.at(0)).dump(), kJson);
    } catch (const ApiError& e) {
      send_error(res, e.status(), e.error_type(), e.what());
    } catch (const InputError& e) {
      send_error(res, 422, "validation", e.what());
    } catch (const TokenizerError& e) {
      send_error(res, 422, "tokenizer", e.what());
    } catch (const std::exception& e) {
      send_error(res, 500, "backend", e.what());
    } catch (...) {
      send_error(res, 500, "backend", "unknown error");
    }
  });

  http_->Get(".*", fallback);
  http_->Post(".*", fallback);
  http_->Put(".*", fallback);
  http_->Patch(".*", fallback);
  http_->Delete(".*", fallback);
  http_->Options(".*", fallback);
}

int Server::bind() {
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.host);
  } else if (http_->bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  } else {
    port_ = -1;
  }
  if (port_ <= 0)
    throw IoError("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
  return port_;
}

void Server::run() {
  if (!bound()) bind();
  http_->listen_after_bind();
  // httplib has joined its workers, so no request can still be waiting for the batcher.
  batcher_.stop();
}

void Server::stop() {
  http_->begin_drain();
}

size_t Server::connections_cut() const {
  return http_->connections_cut();
}

}  // namespace finsent::serve
