// Dynamic batching: concurrent requests queue up and are run through the model together.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "finsent/serve/classifier_backend.hpp"
#include "finsent/serve/metrics.hpp"

namespace finsent::serve {

struct BatcherOptions {
  size_t max_batch_tokens = 16384;        // tokens (after truncation) summed over a batch's inputs
  size_t max_batch_size = 64;             // inputs per batch
  std::chrono::milliseconds max_wait{5};  // how long the oldest request may wait for company
  bool enabled = true;  // false: every request is its own forward pass (for comparison)
};

// One worker thread owns the backend's logits(). A request joins the queue; the worker takes the
// oldest request and waits up to max_wait (from that request's arrival) for more, then runs as
// many queued requests, in arrival order, as fit max_batch_size and max_batch_tokens. A request
// that alone exceeds a limit runs by itself.
class DynamicBatcher {
 public:
  DynamicBatcher(ClassifierBackend& backend, BatcherOptions options, Metrics* metrics = nullptr);
  ~DynamicBatcher();
  DynamicBatcher(const DynamicBatcher&) = delete;
  DynamicBatcher& operator=(const DynamicBatcher&) = delete;

  // Blocks until the model has run `inputs`; returns their logits in order. Inputs must already
  // fit the model when !truncate (the server checks); backend errors are rethrown here.
  // Throws std::runtime_error after stop().
  std::vector<std::vector<float>> run(std::vector<SequenceInput> inputs, bool truncate);

  // Finishes the queued requests, then joins the worker. Idempotent.
  void stop();

  const BatcherOptions& options() const { return options_; }

 private:
  struct Job {
    std::vector<SequenceInput> inputs;
    size_t tokens = 0;
    std::chrono::steady_clock::time_point arrived;
    std::promise<std::vector<std::vector<float>>> result;
  };
  void work();
  std::vector<Job> take_batch(std::unique_lock<std::mutex>& lock);
  void publish_queue_size();

  ClassifierBackend& backend_;
  BatcherOptions options_;
  Metrics* metrics_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  size_t queued_inputs_ = 0;
  size_t queued_tokens_ = 0;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace finsent::serve
