// One thread per open connection, started on demand up to a cap; drained with a deadline.
#include "connection_pool.hpp"

#include <algorithm>

namespace finsent::serve {
namespace {
thread_local bool refusing_job = false;
}  // namespace

ConnectionPool::ConnectionPool(size_t initial_threads, size_t max_threads,
                               std::function<Clock::time_point()> drain_deadline,
                               std::function<void()> abort_all)
    : max_threads_(std::max<size_t>(max_threads, 1)),
      drain_deadline_(std::move(drain_deadline)),
      abort_all_(std::move(abort_all)) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < std::min(initial_threads, max_threads_); ++i) start_thread();
}

ConnectionPool::~ConnectionPool() {
  shutdown();
}

bool ConnectionPool::refusing() {
  return refusing_job;
}

void ConnectionPool::start_thread() {
  threads_.emplace_back([this] { worker(); });
}

void ConnectionPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mutex_);
    if (jobs_.size() < idle_ || threads_.size() < max_threads_) {
      if (jobs_.size() >= idle_) start_thread();
      jobs_.push_back(std::move(fn));
      work_cv_.notify_one();
      return;
    }
  }
  // Every thread holds a connection: answer this one here, without waiting on any of them.
  refusing_job = true;
  fn();
  refusing_job = false;
}

void ConnectionPool::worker() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    work_cv_.wait(lock, [&] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (jobs_.empty()) return;  // shutting down and nothing left to run
    std::function<void()> job = std::move(jobs_.front());
    jobs_.pop_front();
    ++running_;
    lock.unlock();
    job();
    lock.lock();
    --running_;
    done_cv_.notify_all();
  }
}

void ConnectionPool::shutdown() {
  std::unique_lock lock(mutex_);
  if (shutdown_ && threads_.empty()) return;
  shutdown_ = true;
  work_cv_.notify_all();
  const auto finished = [&] { return running_ == 0 && jobs_.empty(); };
  if (!done_cv_.wait_until(lock, drain_deadline_(), finished)) {
    lock.unlock();
    abort_all_();
    lock.lock();
    done_cv_.wait(lock, finished);
  }
  std::vector<std::thread> threads = std::move(threads_);
  threads_.clear();
  lock.unlock();
  for (std::thread& t : threads) t.join();
}

}  // namespace finsent::serve
