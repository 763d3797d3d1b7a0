// Dynamic batching: one worker groups queued requests into forward passes.
#include "finsent/serve/batcher.hpp"

#include <algorithm>
#include <stdexcept>

namespace finsent::serve {

DynamicBatcher::DynamicBatcher(ClassifierBackend& backend, BatcherOptions options, Metrics* metrics)
    : backend_(backend), options_(options), metrics_(metrics) {
  options_.max_batch_size = std::max<size_t>(options_.max_batch_size, 1);
  worker_ = std::thread([this] { work(); });
}

DynamicBatcher::~DynamicBatcher() {
  stop();
}

void DynamicBatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::vector<std::vector<float>> DynamicBatcher::run(std::vector<SequenceInput> inputs,
                                                    bool truncate) {
  if (inputs.empty()) return {};
  Job job;
  const size_t cap = backend_.max_input_length();
  for (const SequenceInput& input : inputs) {
    const size_t n = backend_.count_tokens(input);
    job.tokens += truncate ? std::min(n, cap) : n;
  }
  job.inputs = std::move(inputs);
  job.arrived = std::chrono::steady_clock::now();
  auto result = job.result.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw std::runtime_error("the server is shutting down");
    queued_inputs_ += job.inputs.size();
    queued_tokens_ += job.tokens;
    queue_.push_back(std::move(job));
    publish_queue_size();
  }
  cv_.notify_all();
  return result.get();
}

void DynamicBatcher::publish_queue_size() {
  if (metrics_) metrics_->set_queue_size(queued_inputs_);
}

std::vector<DynamicBatcher::Job> DynamicBatcher::take_batch(std::unique_lock<std::mutex>& lock) {
  cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
  if (queue_.empty()) return {};
  if (options_.enabled) {
    // Wait for company until the oldest request has waited max_wait or a batch is full.
    const auto deadline = queue_.front().arrived + options_.max_wait;
    cv_.wait_until(lock, deadline, [&] {
      return stopping_ || queued_inputs_ >= options_.max_batch_size ||
             queued_tokens_ >= options_.max_batch_tokens;
    });
  }
  std::vector<Job> batch;
  size_t inputs = 0, tokens = 0;
  while (!queue_.empty()) {
    Job& next = queue_.front();
    const bool fits = inputs + next.inputs.size() <= options_.max_batch_size &&
                      tokens + next.tokens <= options_.max_batch_tokens;
    if (!batch.empty() && (!options_.enabled || !fits)) break;
    inputs += next.inputs.size();
    tokens += next.tokens;
    queued_inputs_ -= next.inputs.size();
    queued_tokens_ -= next.tokens;
    batch.push_back(std::move(next));
    queue_.pop_front();
  }
  publish_queue_size();
  return batch;
}

void DynamicBatcher::work() {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mutex_);
      batch = take_batch(lock);
    }
    if (batch.empty()) return;  // stopping and drained

    std::vector<SequenceInput> inputs;
    size_t tokens = 0;
    for (Job& job : batch) {
      tokens += job.tokens;
      for (SequenceInput& input : job.inputs) inputs.push_back(std::move(input));
    }
    try {
      // The server has already refused inputs too long for truncate=false, so truncating here
      // changes nothing for them and lets one call serve both kinds of request.
      std::vector<std::vector<float>> logits = backend_.logits(inputs, true);
      if (logits.size() != inputs.size())
        throw std::logic_error("backend returned " + std::to_string(logits.size()) + " rows for " +
                               std::to_string(inputs.size()) + " inputs");
      if (metrics_) metrics_->observe_batch(inputs.size(), tokens);
      size_t row = 0;
      for (Job& job : batch) {
        std::vector<std::vector<float>> mine;
        mine.reserve(job.inputs.size());
        for (size_t i = 0; i < job.inputs.size(); ++i) mine.push_back(std::move(logits[row++]));
        job.result.set_value(std::move(mine));
      }
    } catch (...) {
      for (Job& job : batch) job.result.set_exception(std::current_exception());
    }
  }
}

}  // namespace finsent::serve
