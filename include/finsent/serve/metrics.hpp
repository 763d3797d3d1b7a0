// The server's Prometheus metrics: request counts and latencies, batch sizes, queue depth.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace finsent::serve {

// A cumulative Prometheus histogram with fixed upper bounds (le); not thread-safe on its own.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Appends `name_bucket{labels,le=..}`, `name_sum{labels}`, `name_count{labels}` lines.
  void render(std::string& out, const std::string& name, const std::string& labels) const;
  uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bucket, not cumulative; the last one is +Inf
  uint64_t count_ = 0;
  double sum_ = 0;
};

// All metrics of one server; every method is thread-safe.
class Metrics {
 public:
  Metrics();
  // One answered HTTP request. `route` is a known path or "other" (bounded label cardinality).
  void observe_request(const std::string& route, int status, double seconds);
  // One forward pass of the model over `inputs` inputs holding `tokens` tokens.
  void observe_batch(size_t inputs, size_t tokens);
  // Inputs waiting for the model right now.
  void set_queue_size(size_t inputs);
  // A /predict request arrived (+1) or left (-1); returns the count including this change. The
  // count and the gauge change together, so concurrent requests can never leave a stale gauge.
  size_t add_inflight(int delta);
  // The whole exposition, Prometheus text format 0.0.4.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  Histogram batch_size_;
  Histogram batch_tokens_;
  uint64_t inputs_ = 0;
  size_t queue_size_ = 0;
  size_t inflight_ = 0;
};

}  // namespace finsent::serve
