// The real server over a real (tiny fixture) model, driven over HTTP on 127.0.0.1.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "finsent/models/text_classifier.hpp"
#include "finsent/serve/scores.hpp"
#include "finsent/serve/text_classifier_backend.hpp"
#include "running_server.hpp"

namespace finsent::serve {
namespace {

using nlohmann::json;
using testing::RunningServer;

const std::filesystem::path kModel =
    std::filesystem::path(FINSENT_FIXTURES_DIR) / "models/tiny-bert";

// Reference logits straight from the pipeline, bypassing HTTP, batching and JSON.
std::vector<float> direct_logits(const std::string& text, std::optional<std::string> pair = {}) {
  static auto classifier = models::TextClassifier::load(kModel);
  const torch::Tensor t = classifier.logits({{text, pair}}, true).contiguous();
  return {t.data_ptr<float>(), t.data_ptr<float>() + t.size(1)};
}

std::unique_ptr<ClassifierBackend> backend() {
  return load_classifier_backend(kModel, "tiny-bert");
}

httplib::Result post(httplib::Client& c, const std::string& body) {
  return c.Post("/predict", body, "application/json");
}

// Checks one ranked list against the pipeline's logits for the same input.
void expect_scores(const json& ranked, const std::vector<float>& logits, bool raw) {
  const std::vector<std::string> labels{"negative", "neutral", "positive"};
  const auto expected = ranked_scores(labels, logits, raw);
  ASSERT_EQ(ranked.size(), 3u) << ranked;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(ranked[i]["label"], expected[i].label) << ranked;
    EXPECT_NEAR(ranked[i]["score"].get<double>(), expected[i].score, 1e-5) << ranked;
    if (i > 0) {
      EXPECT_GE(ranked[i - 1]["score"].get<double>(), ranked[i]["score"].get<double>());
    }
  }
}

void expect_error(const httplib::Result& res, int status, const std::string& type) {
  ASSERT_TRUE(res) << "no response";
  EXPECT_EQ(res->status, status) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
  const json body = json::parse(res->body);
  EXPECT_EQ(body.at("error_type"), type) << res->body;
  EXPECT_TRUE(body.at("error").is_string());
}

uint64_t metric(const std::string& text, const std::string& series) {
  const std::regex re("(^|\n)" +
                      std::regex_replace(series, std::regex(R"([{}()\[\]+.])"), R"(\$&)") +
                      " ([0-9.e+]+)\n");
  std::smatch m;
  if (!std::regex_search(text, m, re)) return 0;
  return static_cast<uint64_t>(std::stod(m[2]));
}

TEST(ServeIntegration, HealthInfoAndPage) {
  auto model = backend();
  RunningServer running(*model, {});
  auto c = running.client();
  auto health = c.Get("/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  const json info = json::parse(c.Get("/info")->body);
  EXPECT_EQ(info["model_id"], "tiny-bert");
  EXPECT_EQ(info["labels"], json({"negative", "neutral", "positive"}));
  EXPECT_EQ(info["model_type"]["classifier"]["id2label"]["2"], "positive");
  EXPECT_EQ(info["max_input_length"], 64);
  EXPECT_EQ(info["max_client_batch_size"], 32);
  auto page = c.Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(page->body.find("id=\"text\""), std::string::npos);
}

TEST(ServeIntegration, AllInputShapesMatchThePipeline) {
  auto model = backend();
  RunningServer running(*model, {});
  auto c = running.client();
  const std::string a = "the company profit rose", b = "sales fell in finland";

  auto single = post(c, json{{"inputs", a}}.dump());
  ASSERT_EQ(single->status, 200) << single->body;
  expect_scores(json::parse(single->body), direct_logits(a), false);

  auto pair = post(c, json{{"inputs", {a, b}}}.dump());
  ASSERT_EQ(pair->status, 200) << pair->body;
  expect_scores(json::parse(pair->body), direct_logits(a, b), false);

  auto batch = post(c, json{{"inputs", {{a}, {a, b}, {b}}}}.dump());
  ASSERT_EQ(batch->status, 200) << batch->body;
  const json rows = json::parse(batch->body);
  ASSERT_EQ(rows.size(), 3u);
  expect_scores(rows[0], direct_logits(a), false);
  expect_scores(rows[1], direct_logits(a, b), false);
  expect_scores(rows[2], direct_logits(b), false);

  auto raw = post(c, json{{"inputs", a}, {"raw_scores", true}}.dump());
  ASSERT_EQ(raw->status, 200) << raw->body;
  expect_scores(json::parse(raw->body), direct_logits(a), true);
}

TEST(ServeIntegration, TruncateFlag) {
  auto model = backend();
  RunningServer running(*model, {});
  auto c = running.client();
  std::string long_text;
  for (int i = 0; i < 100; ++i) long_text += "profit ";  // 100 words > 64 positions
  expect_error(post(c, json{{"inputs", long_text}, {"truncate", false}}.dump()), 422, "validation");
  auto cut = post(c, json{{"inputs", long_text}, {"truncate", true}}.dump());
  ASSERT_EQ(cut->status, 200) << cut->body;
  expect_scores(json::parse(cut->body), direct_logits(long_text), false);
  EXPECT_EQ(post(c, json{{"inputs", "profit rose"}, {"truncate", false}}.dump())->status, 200);
}

TEST(ServeIntegration, EveryErrorStatus) {
  auto model = backend();
  ServerOptions options;
  options.payload_limit = 4096;
  options.limits.max_input_chars = 1000;
  options.limits.max_client_batch_size = 4;
  RunningServer running(*model, options);
  auto c = running.client();
  expect_error(post(c, "{\"inputs\": "), 400, "validation");
  expect_error(post(c, "not json"), 400, "validation");
  expect_error(post(c, R"({"input": "x"})"), 422, "validation");
  expect_error(post(c, R"({"inputs": 42})"), 422, "validation");
  expect_error(post(c, R"({"inputs": ["a", "b", "c"]})"), 422, "validation");
  expect_error(post(c, R"({"inputs": "a", "raw_scores": "yes"})"), 422, "validation");
  expect_error(post(c, R"({"inputs": []})"), 422, "empty");
  expect_error(post(c, R"({"inputs": [["a"], ["b"], ["c"], ["d"], ["e"]]})"), 422, "validation");
  expect_error(post(c, json{{"inputs", std::string(1001, 'a')}}.dump()), 413, "validation");
  expect_error(post(c, json{{"inputs", std::string(5000, 'a')}}.dump()), 413, "payload_too_large");
  expect_error(c.Get("/nowhere"), 404, "not_found");
  expect_error(c.Get("/predict"), 405, "method_not_allowed");
  expect_error(c.Put("/metrics", "x", "text/plain"), 405, "method_not_allowed");
  // After all that the server still answers.
  EXPECT_EQ(post(c, R"({"inputs": "profit rose"})")->status, 200);
}

TEST(ServeIntegration, OverloadAnswers429) {
  auto model = backend();
  ServerOptions options;
  options.max_concurrent_requests = 1;
  options.batching.max_wait =
      std::chrono::milliseconds(1500);  // the first request waits for company
  RunningServer running(*model, options);
  std::thread first([&] {
    auto c = running.client();
    auto res = post(c, R"({"inputs": "held in the queue"})");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  });
  auto c = running.client();
  for (int i = 0; i < 200 && metric(c.Get("/metrics")->body, "finsent_queue_size") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(metric(c.Get("/metrics")->body, "finsent_queue_size"), 1u);
  expect_error(post(c, R"({"inputs": "one too many"})"), 429, "overloaded");
  first.join();
}

TEST(ServeIntegration, ConcurrentClientsThenConsistentMetrics) {
  auto model = backend();
  ServerOptions options;
  options.batching.max_wait = std::chrono::milliseconds(20);
  RunningServer running(*model, options);
  const std::vector<std::string> texts{"profit rose", "sales fell", "the company said",
                                       "loss widened in the period"};
  std::vector<std::vector<float>> expected;
  for (const auto& t : texts) expected.push_back(direct_logits(t));

  constexpr int kClients = 10, kRequests = 15;
  std::atomic<int> ok{0}, inputs{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k)
    clients.emplace_back([&, k] {
      auto c = running.client();
      for (int i = 0; i < kRequests; ++i) {
        const size_t t = (k + i) % texts.size();
        const bool batch = i % 3 == 0;
        const json body = batch ? json{{"inputs", {{texts[t]}, {texts[(t + 1) % texts.size()]}}}}
                                : json{{"inputs", texts[t]}};
        auto res = post(c, body.dump());
        if (!res || res->status != 200) {
          ADD_FAILURE() << (res ? res->body : "no response");
          continue;
        }
        const json got = json::parse(res->body);
        if (batch) {
          expect_scores(got[0], expected[t], false);
          expect_scores(got[1], expected[(t + 1) % texts.size()], false);
          inputs += 2;
        } else {
          expect_scores(got, expected[t], false);
          inputs += 1;
        }
        ++ok;
      }
    });
  for (auto& t : clients) t.join();
  ASSERT_EQ(ok.load(), kClients * kRequests);

  auto c = running.client();
  ASSERT_EQ(c.Get("/health")->status, 200);
  const std::string m = c.Get("/metrics")->body;
  EXPECT_EQ(metric(m, R"(finsent_requests_total{route="/predict",status="200"})"),
            static_cast<uint64_t>(ok.load()));
  EXPECT_EQ(metric(m, R"(finsent_request_duration_seconds_count{route="/predict"})"),
            static_cast<uint64_t>(ok.load()));
  EXPECT_EQ(metric(m, "finsent_inputs_total"), static_cast<uint64_t>(inputs.load()));
  EXPECT_EQ(metric(m, "finsent_batch_size_sum"), static_cast<uint64_t>(inputs.load()));
  const uint64_t passes = metric(m, "finsent_batch_size_count");
  EXPECT_GT(passes, 0u);
  EXPECT_LT(passes, static_cast<uint64_t>(ok.load())) << "concurrent requests should share passes";
  EXPECT_EQ(metric(m, "finsent_queue_size"), 0u);
  EXPECT_EQ(metric(m, "finsent_inflight_requests"), 0u);
}

}  // namespace
}  // namespace finsent::serve
