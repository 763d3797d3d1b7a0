// The server under abusive clients (on 127.0.0.1, bounded in count and time): chunked bodies past
// --payload-limit, endless headers, slow clients, more connections than --max-connections, NaN.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "fake_backend.hpp"
#include "raw_client.hpp"
#include "running_server.hpp"

namespace finsent::serve {
namespace {

using nlohmann::json;
using testing::FakeBackend;
using testing::RawClient;
using testing::RunningServer;
using Clock = std::chrono::steady_clock;

std::string chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

constexpr const char* kChunkedPost =
    "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n\r\n";

// Sends chunks of `piece` until the server answers or closes, or `max_bytes` are sent; returns the
// bytes sent.
size_t send_until_answered(RawClient& client, const std::string& piece, size_t max_bytes) {
  size_t sent = 0;
  while (sent < max_bytes && !client.readable(0)) {
    if (!client.send_all(piece)) break;
    sent += piece.size();
  }
  return sent;
}

ServerOptions small_limits() {
  ServerOptions options;
  options.payload_limit = 64 * 1024;
  return options;
}

TEST(Abuse, ChunkedBodyWithinTheLimitIsAnswered) {
  FakeBackend backend;
  RunningServer running(backend, small_limits());
  RawClient client(running.port());
  ASSERT_TRUE(client.connected());
  const std::string body = R"({"inputs": "profit rose"})";
  std::string request = kChunkedPost;
  for (char c : body) request += chunk(std::string(1, c));  // one byte per chunk
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.send_all(request));
  const std::string answer = client.read_all(2000);
  ASSERT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find(R"({"label":"positive","score":)"), std::string::npos) << answer;
}

TEST(Abuse, ChunkedBodyPastTheLimitIs413AndTheRestIsNotRead) {
  FakeBackend backend;
  RunningServer running(backend, small_limits());
  RawClient client(running.port());
  ASSERT_TRUE(client.send_all(kChunkedPost));
  // Offers 64 MiB; the server answers after 64 KiB, long before the client is done.
  const size_t sent = send_until_answered(client, chunk(std::string(16384, 'a')), 64u << 20);
  EXPECT_LT(sent, 8u << 20);
  const std::string answer = client.read_all(2000);
  ASSERT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 200);
  EXPECT_NE(answer.find("\"payload_too_large\""), std::string::npos) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  // And the server still answers others.
  EXPECT_EQ(running.client().Get("/health")->status, 200);
}

TEST(Abuse, ContentLengthPastTheLimitIs413) {
  FakeBackend backend;
  RunningServer running(backend, small_limits());
  RawClient client(running.port());
  ASSERT_TRUE(
      client.send_all("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 400000000\r\n\r\n"));
  const size_t sent = send_until_answered(client, std::string(16384, 'a'), 64u << 20);
  EXPECT_LT(sent, 8u << 20);
  EXPECT_EQ(client.status(2000), 413);
}

TEST(Abuse, BodiesSentToOtherRoutesAreNotRead) {
  FakeBackend backend;
  RunningServer running(backend, small_limits());
  for (const std::string head : {"POST /nope", "PUT /predict", "DELETE /health", "PRI /x"}) {
    RawClient client(running.port());
    ASSERT_TRUE(
        client.send_all(head + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
    const size_t sent = send_until_answered(client, chunk(std::string(16384, 'a')), 64u << 20);
    EXPECT_LT(sent, 8u << 20) << head;
    const int status = client.status(2000);
    EXPECT_TRUE(status == 404 || status == 405 || status == 400) << head << ": " << status;
  }
}

TEST(Abuse, EndlessHeadersAreCutOff) {
  FakeBackend backend;
  RunningServer running(backend, small_limits());
  RawClient client(running.port());
  ASSERT_TRUE(client.send_all("GET /health HTTP/1.1\r\nHost: x\r\n"));
  const size_t sent =
      send_until_answered(client, "X-Filler: " + std::string(1000, 'a') + "\r\n", 64u << 20);
  EXPECT_LT(sent, 8u << 20);
  EXPECT_TRUE(client.closed_by_server(3000));
}

TEST(Abuse, SlowClientsAreDisconnectedAndHealthStaysFast) {
  FakeBackend backend;
  ServerOptions options;
  options.http_threads = 4;  // far fewer threads than slow clients
  options.request_timeout = std::chrono::milliseconds(1500);
  RunningServer running(backend, options);
  constexpr int kSlow = 100;
  std::vector<std::unique_ptr<RawClient>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<RawClient>(running.port()));
    ASSERT_TRUE(slow.back()->send_all("G"));
  }
  // One byte every 300 ms from each slow client, while /health is asked every 100 ms.
  const std::string rest = "ET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<double> latencies_ms;
  const auto start = Clock::now();
  for (size_t step = 0; Clock::now() - start < std::chrono::milliseconds(2500); ++step) {
    if (step % 3 == 0)
      for (auto& c : slow) c->send_all(std::string(1, rest[(step / 3) % rest.size()]));
    const auto asked = Clock::now();
    auto res = running.client().Get("/health");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - asked).count());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const double median_ms = latencies_ms[latencies_ms.size() / 2];
  const double worst_ms = latencies_ms.back();
  // The figure issue 15 asks for, in the test log and the XML report.
  std::printf("/health under %d slow clients: median %.2f ms, worst %.2f ms over %zu requests\n",
              kSlow, median_ms, worst_ms, latencies_ms.size());
  RecordProperty("health_median_ms", std::to_string(median_ms));
  RecordProperty("health_worst_ms", std::to_string(worst_ms));
  EXPECT_LT(worst_ms, 500.0);  // generous: it is ~1 ms on an idle machine
  int dropped = 0;
  for (auto& c : slow) dropped += c->closed_by_server(1000) ? 1 : 0;
  EXPECT_EQ(dropped, kSlow);
}

// A connection that holds one of the server's connection threads: its keep-alive GET /health was
// answered 200. A 503 means every thread was still busy (one may still be finishing the previous
// connection, such as RunningServer's own /health probe): connect again.
std::unique_ptr<RawClient> held_connection(int port) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto client = std::make_unique<RawClient>(port);
    if (client->send_all("GET /health HTTP/1.1\r\nHost: x\r\n\r\n") &&
        client->read_until("\r\n\r\n", 2000).rfind("HTTP/1.1 200", 0) == 0)
      return client;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return nullptr;
}

TEST(Abuse, ConnectionsPastTheCapAre503) {
  FakeBackend backend;
  ServerOptions options;
  options.http_threads = 1;
  options.max_connections = 4;
  options.keep_alive_timeout = std::chrono::seconds(60);  // the held connections stay held
  RunningServer running(backend, options);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(held_connection(running.port()));
    ASSERT_NE(held.back(), nullptr) << "connection " << i << " was never given a thread";
  }
  RawClient extra(running.port());
  ASSERT_TRUE(extra.send_all("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  const std::string answer = extra.read_all(2000);
  EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"overloaded\""), std::string::npos) << answer;
  held.clear();  // closing them frees their threads, once the server has seen them close
  EXPECT_TRUE(running.health_within(std::chrono::seconds(10)));
}

TEST(Abuse, NonFiniteLogitsAre500AndTheServerKeepsServing) {
  FakeBackend backend;
  RunningServer running(backend, ServerOptions{});
  auto client = running.client();
  for (const char* body : {R"({"inputs": "nan"})", R"({"inputs": "nan", "raw_scores": true})"}) {
    auto res = client.Post("/predict", body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 500) << res->body;
    const json error = json::parse(res->body);
    EXPECT_EQ(error.at("error_type"), "backend");
    EXPECT_NE(error.at("error").get<std::string>().find("non-finite logit"), std::string::npos)
        << res->body;
  }
  EXPECT_EQ(client.Post("/predict", R"({"inputs": "profit rose"})", "application/json")->status,
            200);
}

}  // namespace
}  // namespace finsent::serve
