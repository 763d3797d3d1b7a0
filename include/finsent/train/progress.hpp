// The training progress line: epoch/step, loss, learning rate, sentences/s, ETA.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace finsent::train {

struct ProgressStats {
  int64_t epoch = 0;  // 1-based
  int64_t epochs = 0;
  int64_t step = 0;  // optimizer steps done
  int64_t total_steps = 0;
  double loss = 0;  // running mean since the last report
  double lr = 0;
  double sentences_per_second = 0;
  double eta_seconds = 0;
};

// One progress line, e.g.
// "epoch 2/3 step 250/552 loss 0.4123 lr 3.02e-05 41.3 sent/s ETA 2m05s"
std::string format_progress(const ProgressStats& s);
// "1h02m03s", "2m05s", "7s"
std::string format_duration(double seconds);

// Prints progress to `out`: on a terminal one line rewritten in place with '\r' (at most ~4 times
// a second); otherwise a plain line every `every_steps` steps (and at the last step).
class ProgressPrinter {
 public:
  ProgressPrinter(std::ostream& out, bool tty, int64_t every_steps = 50);
  // `sentences` examples were consumed since the previous call.
  void update(const ProgressStats& stats, bool force = false);
  // Ends the in-place line (on a terminal) so later output starts on a new line.
  void finish();

 private:
  std::ostream& out_;
  bool tty_;
  int64_t every_;
  bool dirty_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace finsent::train
