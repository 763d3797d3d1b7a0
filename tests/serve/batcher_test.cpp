// Dynamic batching: results reach the right requests, requests are grouped, limits hold.
#include "finsent/serve/batcher.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>

#include "fake_backend.hpp"

namespace finsent::serve {
namespace {

using testing::FakeBackend;

std::string words(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += "w ";
  return s;
}

// Runs `clients` concurrent requests of one input each (input i has i+1 words) and checks each got
// its own row back.
void run_concurrently(DynamicBatcher& batcher, size_t clients) {
  std::vector<std::thread> threads;
  std::vector<float> got(clients, -1);
  for (size_t i = 0; i < clients; ++i)
    threads.emplace_back([&, i] {
      const auto rows = batcher.run({{words(i + 1), std::nullopt}}, true);
      got[i] = rows.at(0).at(0);
    });
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < clients; ++i) EXPECT_EQ(got[i], static_cast<float>(i + 1));
}

TEST(DynamicBatcher, GroupsConcurrentRequests) {
  FakeBackend backend;
  BatcherOptions options;
  // Generous: the pass starts as soon as all 8 have arrived (a full batch), so this only guards
  // against slow thread start-up on a loaded machine.
  options.max_wait = std::chrono::milliseconds(2000);
  options.max_batch_size = 8;
  Metrics metrics;
  DynamicBatcher batcher(backend, options, &metrics);
  run_concurrently(batcher, 8);
  const auto calls = backend.calls();
  EXPECT_EQ(std::accumulate(calls.begin(), calls.end(), size_t{0}), 8u);
  EXPECT_LT(calls.size(), 8u) << "8 concurrent requests within max_wait should share passes";
  EXPECT_NE(metrics.render().find("finsent_inputs_total 8\n"), std::string::npos);
}

TEST(DynamicBatcher, DisabledRunsEachRequestAlone) {
  FakeBackend backend;
  BatcherOptions options;
  options.enabled = false;
  DynamicBatcher batcher(backend, options);
  backend.close_gate();  // let requests pile up behind the first pass
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    backend.open_gate();
  });
  run_concurrently(batcher, 6);
  opener.join();
  for (size_t n : backend.calls()) EXPECT_EQ(n, 1u);
  EXPECT_EQ(backend.calls().size(), 6u);
}

TEST(DynamicBatcher, RespectsMaxBatchSizeAndTokens) {
  FakeBackend backend;
  BatcherOptions options;
  options.max_wait = std::chrono::milliseconds(200);
  options.max_batch_size = 3;
  options.max_batch_tokens = 1000;
  DynamicBatcher batcher(backend, options);
  backend.close_gate();
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    backend.open_gate();
  });
  run_concurrently(batcher, 10);
  opener.join();
  for (size_t n : backend.calls()) EXPECT_LE(n, 3u);

  FakeBackend tokens_backend;
  BatcherOptions by_tokens;
  by_tokens.max_wait = std::chrono::milliseconds(200);
  by_tokens.max_batch_tokens = 5;  // one-word inputs cost 3 tokens: one per pass
  DynamicBatcher small(tokens_backend, by_tokens);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] { EXPECT_EQ(small.run({{"w", std::nullopt}}, true).size(), 1u); });
  for (auto& t : threads) t.join();
  for (size_t n : tokens_backend.calls()) EXPECT_EQ(n, 1u);
}

TEST(DynamicBatcher, OversizedRequestRunsAlone) {
  FakeBackend backend;
  BatcherOptions options;
  options.max_batch_size = 2;
  DynamicBatcher batcher(backend, options);
  std::vector<SequenceInput> five(5, SequenceInput{"a b", std::nullopt});
  const auto rows = batcher.run(five, true);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[4][0], 2.0f);
}

TEST(DynamicBatcher, BackendErrorsReachTheCaller) {
  FakeBackend backend;
  DynamicBatcher batcher(backend, {});
  EXPECT_THROW(batcher.run({{"boom", std::nullopt}}, true), std::runtime_error);
  // The worker survives and serves the next request.
  EXPECT_EQ(batcher.run({{"a", std::nullopt}}, true).at(0).at(0), 1.0f);
}

TEST(DynamicBatcher, StopRefusesNewWork) {
  FakeBackend backend;
  DynamicBatcher batcher(backend, {});
  batcher.stop();
  EXPECT_THROW(batcher.run({{"a", std::nullopt}}, true), std::runtime_error);
}

}  // namespace
}  // namespace finsent::serve
