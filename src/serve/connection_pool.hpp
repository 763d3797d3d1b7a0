// The HTTP connection threads: one thread per open connection, started on demand up to a cap.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace finsent::serve {

// A cpp-httplib TaskQueue that never lets a connection wait behind busy ones: each job (one
// connection) runs on an idle thread, else on a new thread while fewer than `max_threads` exist.
// At the cap the job runs at once on the caller's thread (the accept loop) with refusing() true,
// so the connection handler can answer 503 and close without reading anything.
class ConnectionPool : public httplib::TaskQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // `initial_threads` start now (at most `max_threads`). shutdown() waits for running jobs until
  // drain_deadline(), then calls abort_all() once (which must make running jobs return soon) and
  // joins every thread.
  ConnectionPool(size_t initial_threads, size_t max_threads,
                 std::function<Clock::time_point()> drain_deadline,
                 std::function<void()> abort_all);
  ~ConnectionPool() override;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

  // True on a thread running a job that the pool refused (all `max_threads` were busy).
  static bool refusing();

 private:
  void start_thread();  // requires mutex_
  void worker();

  const size_t max_threads_;
  std::function<Clock::time_point()> drain_deadline_;
  std::function<void()> abort_all_;
  std::mutex mutex_;
  std::condition_variable work_cv_;  // a job was queued, or shutdown
  std::condition_variable done_cv_;  // a job finished
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  size_t idle_ = 0;
  size_t running_ = 0;
  bool shutdown_ = false;
};

}  // namespace finsent::serve
