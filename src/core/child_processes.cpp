// fork + execve of a group of children, one poll loop that reaps them, forwards signals and stops
// the group when one child fails. Signals reach the loop through a self-pipe, so it does not
// matter which thread of this process receives them.
#include "finsent/core/child_processes.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <optional>

#include "finsent/core/error.hpp"

extern char** environ;

namespace finsent {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::array<int, 3> kWatchedSignals = {SIGINT, SIGTERM, SIGCHLD};

int g_signal_pipe_write = -1;  // written by the handler; one supervisor at a time

extern "C" void forward_to_pipe(int signal) {
  const int saved_errno = errno;
  const auto byte = static_cast<unsigned char>(signal);
  [[maybe_unused]] const auto written = ::write(g_signal_pipe_write, &byte, 1);
  errno = saved_errno;
}

[[noreturn]] void throw_errno(const std::string& what, int error) {
  throw IoError(what + ": " + std::strerror(error));
}

// The self-pipe and the handlers that feed it, installed for the object's lifetime.
class SignalPipe {
 public:
  SignalPipe() {
    if (::pipe2(fds_.data(), O_CLOEXEC | O_NONBLOCK) != 0)
      throw_errno("cannot create a pipe", errno);
    g_signal_pipe_write = fds_[1];
    struct sigaction action {};
    action.sa_handler = forward_to_pipe;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < kWatchedSignals.size(); ++i)
      ::sigaction(kWatchedSignals[i], &action, &previous_[i]);
  }
  ~SignalPipe() {
    for (size_t i = 0; i < kWatchedSignals.size(); ++i)
      ::sigaction(kWatchedSignals[i], &previous_[i], nullptr);
    g_signal_pipe_write = -1;
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  // Waits up to `timeout` for a signal; returns the SIGINT/SIGTERM received meanwhile (SIGCHLD
  // only wakes the caller up).
  std::vector<int> wait(std::chrono::milliseconds timeout) {
    pollfd fd{fds_[0], POLLIN, 0};
    ::poll(&fd, 1, static_cast<int>(timeout.count()));
    std::vector<int> received;
    unsigned char byte = 0;
    while (::read(fds_[0], &byte, 1) == 1)
      if (byte != SIGCHLD) received.push_back(byte);
    return received;
  }

 private:
  std::array<int, 2> fds_{};
  std::array<struct sigaction, kWatchedSignals.size()> previous_{};
};

// "NAME=value" strings: this process's environment, with `overrides` replacing or adding.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto name = text.substr(0, text.find('='));
    bool replaced = false;
    for (const auto& [key, value] : overrides) replaced = replaced || key == name;
    if (!replaced) env.emplace_back(text);
  }
  for (const auto& [key, value] : overrides) env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Starts one child; an execve failure comes back through a close-on-exec pipe as its errno.
pid_t spawn(const ChildCommand& command) {
  std::vector<std::string> argv_strings = command.argv;
  std::vector<std::string> env_strings = child_environment(command.environment);
  const auto argv = c_strings(argv_strings);
  const auto envp = c_strings(env_strings);
  std::array<int, 2> status_pipe{};
  if (::pipe2(status_pipe.data(), O_CLOEXEC) != 0) throw_errno("cannot create a pipe", errno);
  const pid_t pid = ::fork();
  if (pid == 0) {
    for (int watched : kWatchedSignals) ::signal(watched, SIG_DFL);
    ::execve(command.program.c_str(), argv.data(), envp.data());
    const int error = errno;
    [[maybe_unused]] const auto written = ::write(status_pipe[1], &error, sizeof error);
    ::_exit(127);
  }
  const int fork_error = errno;
  ::close(status_pipe[1]);
  int exec_error = 0;
  ssize_t got = 0;
  if (pid > 0) do
      got = ::read(status_pipe[0], &exec_error, sizeof exec_error);
    while (got < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (pid < 0) throw_errno("cannot start " + command.label + ": fork failed", fork_error);
  if (got == sizeof exec_error) {
    ::waitpid(pid, nullptr, 0);
    throw_errno("cannot start " + command.label + " (" + command.program + ")", exec_error);
  }
  return pid;
}

// Reaps the children, forwards signals, stops the group on the first failure.
class Supervisor {
 public:
  Supervisor(std::vector<pid_t> pids, ChildGroupResult& result, std::chrono::milliseconds grace)
      : pids_(std::move(pids)), result_(result), grace_(grace) {}

  void run(SignalPipe& signals) {
    while (running() > 0) {
      for (int signal : signals.wait(poll_timeout())) on_interrupt(signal);
      reap();
      if (result_.first_failure >= 0 && !stop_deadline_) stop(SIGTERM);
      if (stop_deadline_ && Clock::now() >= *stop_deadline_ && !killed_) {
        killed_ = true;
        send(SIGKILL);
      }
    }
  }

 private:
  int running() const {
    int count = 0;
    for (pid_t pid : pids_) count += pid > 0 ? 1 : 0;
    return count;
  }

  std::chrono::milliseconds poll_timeout() const {
    constexpr std::chrono::milliseconds kTick(100);  // a safety net; signals wake the loop
    if (!stop_deadline_ || killed_) return kTick;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*stop_deadline_ - Clock::now());
    return std::clamp(left, std::chrono::milliseconds(0), kTick);
  }

  void send(int signal) {
    for (pid_t pid : pids_)
      if (pid > 0) ::kill(pid, signal);
  }

  // Signals every running child; SIGKILL follows after the grace period.
  void stop(int signal) {
    if (!stop_deadline_) {
      stop_deadline_ = Clock::now() + grace_;
      result_.stopped = running();
    }
    send(signal);
  }

  void on_interrupt(int signal) {
    if (result_.interrupted_by == 0) result_.interrupted_by = signal;
    stop(signal);
  }

  void reap() {
    for (size_t i = 0; i < pids_.size(); ++i) {
      if (pids_[i] <= 0) continue;
      int status = 0;
      if (::waitpid(pids_[i], &status, WNOHANG) != pids_[i]) continue;
      auto& exit = result_.exits[i];
      exit.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
      exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
      pids_[i] = 0;
      if (!exit.succeeded() && !stop_deadline_ && result_.first_failure < 0)
        result_.first_failure = static_cast<int>(i);
    }
  }

  std::vector<pid_t> pids_;  // 0 once reaped
  ChildGroupResult& result_;
  std::chrono::milliseconds grace_;
  std::optional<Clock::time_point> stop_deadline_;
  bool killed_ = false;
};

}  // namespace

std::string ChildExit::how() const {
  if (signal != 0) return "was killed by signal " + signal_name(signal);
  return "exited with code " + std::to_string(exit_code);
}

int ChildGroupResult::exit_status() const {
  if (first_failure >= 0) {
    const auto& failed = exits[static_cast<size_t>(first_failure)];
    return failed.signal != 0 ? 128 + failed.signal : failed.exit_code;
  }
  return interrupted_by != 0 ? 128 + interrupted_by : 0;
}

std::string ChildGroupResult::summary() const {
  const auto others = [this](const std::string& verb) {
    if (stopped == 0) return std::string();
    return "; " + std::to_string(stopped) + (stopped == 1 ? " process " : " processes ") + verb;
  };
  if (first_failure >= 0) {
    const auto& failed = exits[static_cast<size_t>(first_failure)];
    return failed.label + " (pid " + std::to_string(failed.pid) + ") " + failed.how() +
           others("still running were stopped");
  }
  if (interrupted_by != 0)
    return "interrupted by " + signal_name(interrupted_by) + others("stopped");
  return "all " + std::to_string(exits.size()) + " processes exited with code 0";
}

ChildGroupResult run_child_processes(const std::vector<ChildCommand>& commands,
                                     std::chrono::milliseconds grace) {
  ChildGroupResult result;
  SignalPipe signals;
  std::vector<pid_t> pids;
  try {
    for (const auto& command : commands) {
      pids.push_back(spawn(command));
      result.exits.push_back({command.label, pids.back()});
    }
  } catch (...) {
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    for (pid_t pid : pids) ::waitpid(pid, nullptr, 0);
    throw;
  }
  Supervisor(std::move(pids), result, grace).run(signals);
  return result;
}

std::string signal_name(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation != nullptr ? std::string("SIG") + abbreviation
                                 : "signal " + std::to_string(signal);
}

std::string current_executable(const std::string& fallback) {
  std::error_code error;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? fallback : path.string();
}

}  // namespace finsent
