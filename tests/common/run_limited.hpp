// Runs the built `finsent` binary under resource limits and reports its peak memory and time.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "common/test_data.hpp"

namespace finsent::testing {

struct LimitedResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, 0 when it exited
  std::string out;
  std::string err;
  long max_rss_kb = 0;  // peak resident memory (getrusage's ru_maxrss)
  double seconds = 0;   // wall time
};

struct Limits {
  // RLIMIT_FSIZE in bytes (0: none). SIGXFSZ is ignored in the child, so a write past the limit
  // fails with EFBIG the way a write to a full disk fails with ENOSPC.
  long long file_size = 0;
};

// Runs FINSENT_BINARY with `args` (stdin /dev/null) in a child process, waiting for it with wait4.
inline LimitedResult run_limited(const std::vector<std::string>& args, Limits limits = {}) {
  static int counter = 0;
  const auto dir = std::filesystem::temp_directory_path();
  const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
  const auto out_path = dir / ("finsent_limited_out_" + tag);
  const auto err_path = dir / ("finsent_limited_err_" + tag);
  std::vector<std::string> argv_s{FINSENT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    if (limits.file_size > 0) {
      ::signal(SIGXFSZ, SIG_IGN);  // stays ignored across exec
      struct rlimit r {
        static_cast<rlim_t>(limits.file_size), static_cast<rlim_t>(limits.file_size)
      };
      if (::setrlimit(RLIMIT_FSIZE, &r) != 0) ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  LimitedResult r;
  int status = 0;
  struct rusage usage {};
  if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    r.max_rss_kb = usage.ru_maxrss;
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return r;
}

// True when `text` is exactly one line ending in '\n'.
inline bool one_line(const std::string& text) {
  return !text.empty() && text.find('\n') == text.size() - 1;
}

}  // namespace finsent::testing
