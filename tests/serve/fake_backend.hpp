// A deterministic ClassifierBackend for unit tests: logits derived from the text, calls recorded.
#pragma once

#include <cmath>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "finsent/core/error.hpp"
#include "finsent/serve/classifier_backend.hpp"

namespace finsent::serve::testing {

// Tokens are whitespace-separated words plus [CLS]/[SEP] (and one more [SEP] for a pair). Logits
// are {words, 0, -words} so an input's row identifies it; the text "boom" makes logits() throw,
// and the text "nan" gets a NaN row (as a model with NaN weights gives).
class FakeBackend : public ClassifierBackend {
 public:
  const std::vector<std::string>& labels() const override { return labels_; }
  size_t max_input_length() const override { return 16; }
  size_t count_tokens(const SequenceInput& input) const override {
    return words(input.text) + 2 + (input.pair ? words(*input.pair) + 1 : 0);
  }
  std::vector<std::vector<float>> logits(const std::vector<SequenceInput>& inputs,
                                         bool truncate) override {
    {
      std::unique_lock lock(mutex_);
      calls_.push_back(inputs.size());
      gate_cv_.wait(lock, [&] { return open_; });
    }
    std::vector<std::vector<float>> out;
    for (const SequenceInput& input : inputs) {
      if (input.text == "boom") throw std::runtime_error("backend exploded");
      const size_t n = count_tokens(input);
      if (!truncate && n > max_input_length()) throw InputError("too long");
      const float w = static_cast<float>(words(input.text));
      if (input.text == "nan") {
        out.push_back({std::nanf(""), std::nanf(""), std::nanf("")});
        continue;
      }
      out.push_back({w, 0.0f, -w});
    }
    return out;
  }
  std::string model_id() const override { return "fake-model"; }
  std::string dtype() const override { return "float32"; }

  // Batch sizes logits() was called with, in call order.
  std::vector<size_t> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  // While closed, logits() blocks (to hold requests in flight).
  void close_gate() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    gate_cv_.notify_all();
  }

  static size_t words(const std::string& text) {
    std::istringstream in(text);
    std::string w;
    size_t n = 0;
    while (in >> w) ++n;
    return n;
  }

 private:
  std::vector<std::string> labels_{"negative", "neutral", "positive"};
  mutable std::mutex mutex_;
  std::condition_variable gate_cv_;
  bool open_ = true;
  std::vector<size_t> calls_;
};

}  // namespace finsent::serve::testing
