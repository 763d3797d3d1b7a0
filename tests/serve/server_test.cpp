// The HTTP layer over a test double: overload (429), backend failure (500), routing, error bodies.
#include "finsent/serve/server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_backend.hpp"
#include "running_server.hpp"

namespace finsent::serve {
namespace {

using nlohmann::json;
using testing::FakeBackend;
using testing::RunningServer;

void expect_error(const httplib::Result& res, int status, const std::string& type) {
  ASSERT_TRUE(res) << "no response";
  EXPECT_EQ(res->status, status) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body.at("error_type"), type) << res->body;
  EXPECT_FALSE(body.at("error").get<std::string>().empty());
}

TEST(Server, OverloadIs429) {
  FakeBackend backend;
  ServerOptions options;
  options.max_concurrent_requests = 1;
  RunningServer running(backend, options);
  backend.close_gate();
  std::thread first([&] {
    auto c = running.client();
    auto res = c.Post("/predict", R"({"inputs": "held"})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  });
  // Wait until the first request is inside the model.
  for (int i = 0; i < 500 && backend.calls().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_FALSE(backend.calls().empty());
  auto c = running.client();
  expect_error(c.Post("/predict", R"({"inputs": "second"})", "application/json"), 429,
               "overloaded");
  backend.open_gate();
  first.join();
  EXPECT_EQ(c.Post("/predict", R"({"inputs": "third"})", "application/json")->status, 200);
}

TEST(Server, BackendFailureIs500AndServerSurvives) {
  FakeBackend backend;
  RunningServer running(backend, {});
  auto c = running.client();
  expect_error(c.Post("/predict", R"({"inputs": "boom"})", "application/json"), 500, "backend");
  auto ok = c.Post("/predict", R"({"inputs": "a b"})", "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  const json body = json::parse(ok->body);
  ASSERT_EQ(body.size(), 3u);
  EXPECT_EQ(body[0]["label"], "negative");
}

TEST(Server, TruncateFalseChecksTokensBeforeQueueing) {
  FakeBackend backend;  // max_input_length 16 tokens: 15 words + 2 specials is too long
  RunningServer running(backend, {});
  auto c = running.client();
  std::string long_text;
  for (int i = 0; i < 15; ++i) long_text += "w ";
  const json body{{"inputs", long_text}, {"truncate", false}};
  expect_error(c.Post("/predict", body.dump(), "application/json"), 422, "validation");
  EXPECT_TRUE(backend.calls().empty());
  const json truncated{{"inputs", long_text}};
  EXPECT_EQ(c.Post("/predict", truncated.dump(), "application/json")->status, 200);
}

TEST(Server, RoutingErrors) {
  FakeBackend backend;
  RunningServer running(backend, {});
  auto c = running.client();
  expect_error(c.Get("/nope"), 404, "not_found");
  expect_error(c.Post("/nope", "{}", "application/json"), 404, "not_found");
  auto res = c.Get("/predict");
  expect_error(res, 405, "method_not_allowed");
  EXPECT_EQ(res->get_header_value("Allow"), "POST");
  expect_error(c.Post("/health", "{}", "application/json"), 405, "method_not_allowed");
  expect_error(c.Delete("/info"), 405, "method_not_allowed");
}

}  // namespace
}  // namespace finsent::serve
