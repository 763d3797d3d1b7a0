// Prometheus text exposition of the server's counters, histograms and gauges.
#include "finsent/serve/metrics.hpp"

#include <charconv>

namespace finsent::serve {
namespace {

std::string number(double v) {
  // Shortest text that reads back as the same double: 0.005, not 0.0050000000000000001.
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

const std::vector<double> kLatencyBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                            0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kBatchSizeBounds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
const std::vector<double> kBatchTokenBounds = {16, 64, 256, 1024, 4096, 16384, 65536, 262144};

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  ++counts_[i];
  ++count_;
  sum_ += value;
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i];
    const std::string le = i < bounds_.size() ? number(bounds_[i]) : "+Inf";
    out += name + "_bucket{" + labels + sep + "le=\"" + le + "\"} " + std::to_string(cumulative) +
           "\n";
  }
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + number(sum_) + "\n";
  out += name + "_count" + braces + " " + std::to_string(count_) + "\n";
}

Metrics::Metrics() : batch_size_(kBatchSizeBounds), batch_tokens_(kBatchTokenBounds) {}

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  durations_.try_emplace(route, kLatencyBounds).first->second.observe(seconds);
}

void Metrics::observe_batch(size_t inputs, size_t tokens) {
  std::lock_guard lock(mutex_);
  batch_size_.observe(static_cast<double>(inputs));
  batch_tokens_.observe(static_cast<double>(tokens));
  inputs_ += inputs;
}

void Metrics::set_queue_size(size_t inputs) {
  std::lock_guard lock(mutex_);
  queue_size_ = inputs;
}

size_t Metrics::add_inflight(int delta) {
  std::lock_guard lock(mutex_);
  inflight_ = delta < 0 ? inflight_ - 1 : inflight_ + 1;
  return inflight_;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  header(out, "finsent_requests_total", "counter", "HTTP requests answered, by route and status.");
  for (const auto& [key, count] : requests_)
    out += "finsent_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  header(out, "finsent_request_duration_seconds", "histogram",
         "Time from the request's headers to its answer, by route.");
  for (const auto& [route, histogram] : durations_)
    histogram.render(out, "finsent_request_duration_seconds", "route=\"" + route + "\"");
  header(out, "finsent_batch_size", "histogram", "Inputs per forward pass of the model.");
  batch_size_.render(out, "finsent_batch_size", "");
  header(out, "finsent_batch_tokens", "histogram", "Tokens per forward pass of the model.");
  batch_tokens_.render(out, "finsent_batch_tokens", "");
  header(out, "finsent_inputs_total", "counter", "Inputs the model has classified.");
  out += "finsent_inputs_total " + std::to_string(inputs_) + "\n";
  header(out, "finsent_queue_size", "gauge", "Inputs waiting for the model.");
  out += "finsent_queue_size " + std::to_string(queue_size_) + "\n";
  header(out, "finsent_inflight_requests", "gauge", "/predict requests being answered.");
  out += "finsent_inflight_requests " + std::to_string(inflight_) + "\n";
  return out;
}

}  // namespace finsent::serve
