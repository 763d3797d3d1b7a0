// Prometheus exposition: counters by label, cumulative histogram buckets.
#include "finsent/serve/metrics.hpp"

#include <gtest/gtest.h>

namespace finsent::serve {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(Metrics, CountsRequestsByRouteAndStatus) {
  Metrics m;
  m.observe_request("/predict", 200, 0.003);
  m.observe_request("/predict", 200, 0.2);
  m.observe_request("/predict", 422, 0.0005);
  m.observe_request("other", 404, 0.0001);
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, "# TYPE finsent_requests_total counter"));
  EXPECT_TRUE(has_line(text, R"(finsent_requests_total{route="/predict",status="200"} 2)"));
  EXPECT_TRUE(has_line(text, R"(finsent_requests_total{route="/predict",status="422"} 1)"));
  EXPECT_TRUE(has_line(text, R"(finsent_requests_total{route="other",status="404"} 1)"));
  EXPECT_TRUE(
      has_line(text, R"(finsent_request_duration_seconds_bucket{route="/predict",le="0.001"} 1)"));
  EXPECT_TRUE(
      has_line(text, R"(finsent_request_duration_seconds_bucket{route="/predict",le="0.005"} 2)"));
  EXPECT_TRUE(
      has_line(text, R"(finsent_request_duration_seconds_bucket{route="/predict",le="+Inf"} 3)"));
  EXPECT_TRUE(has_line(text, R"(finsent_request_duration_seconds_count{route="/predict"} 3)"));
}

TEST(Metrics, BatchHistogramsAndGauges) {
  Metrics m;
  m.observe_batch(3, 40);
  m.observe_batch(1, 10);
  m.set_queue_size(7);
  m.add_inflight(+1);
  EXPECT_EQ(m.add_inflight(+1), 2u);
  const std::string text = m.render();
  EXPECT_TRUE(has_line(text, R"(finsent_batch_size_bucket{le="1"} 1)"));
  EXPECT_TRUE(has_line(text, R"(finsent_batch_size_bucket{le="4"} 2)"));
  EXPECT_TRUE(has_line(text, "finsent_batch_size_sum 4"));
  EXPECT_TRUE(has_line(text, "finsent_batch_size_count 2"));
  EXPECT_TRUE(has_line(text, "finsent_batch_tokens_sum 50"));
  EXPECT_TRUE(has_line(text, "finsent_inputs_total 4"));
  EXPECT_TRUE(has_line(text, "finsent_queue_size 7"));
  EXPECT_TRUE(has_line(text, "finsent_inflight_requests 2"));
}

TEST(Histogram, BoundaryValueFallsInItsBucket) {
  Histogram h({1, 2});
  h.observe(1);
  h.observe(2.5);
  std::string out;
  h.render(out, "h", "");
  EXPECT_TRUE(has_line(out, R"(h_bucket{le="1"} 1)"));
  EXPECT_TRUE(has_line(out, R"(h_bucket{le="2"} 1)"));
  EXPECT_TRUE(has_line(out, R"(h_bucket{le="+Inf"} 2)"));
  EXPECT_EQ(h.count(), 2u);
  EXPECT_DOUBLE_EQ(h.sum(), 3.5);
}

}  // namespace
}  // namespace finsent::serve
