// Runs a function in a forked child whose writes past a file size fail as on a full disk.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <exception>
#include <functional>
#include <string>

namespace finsent::testing {

struct ChildOutcome {
  bool threw = false;    // `fn` threw a std::exception
  std::string what;      // its message
  bool crashed = false;  // the child died of a signal or exited oddly (an abort, a terminate)
};

// Forks; the child ignores SIGXFSZ and sets RLIMIT_FSIZE to `limit` bytes, so any write that
// would grow a file past `limit` fails with EFBIG ("File too large") the way a write to a full disk
// fails with ENOSPC, then runs `fn` and reports whether (and what) it threw.
inline ChildOutcome run_with_file_size_limit(long long limit, const std::function<void()>& fn) {
  int fds[2];
  if (::pipe(fds) != 0) return {false, "pipe failed", true};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit r {
      static_cast<rlim_t>(limit), static_cast<rlim_t>(limit)
    };
    ::setrlimit(RLIMIT_FSIZE, &r);
    int code = 0;
    std::string what;
    try {
      fn();
    } catch (const std::exception& e) {
      code = 3;
      what = e.what();
    }
    if (!what.empty() && ::write(fds[1], what.data(), what.size()) < 0) code = 4;
    ::_exit(code);
  }
  ::close(fds[1]);
  ChildOutcome out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    out.what.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  out.threw = WIFEXITED(status) && WEXITSTATUS(status) == 3;
  out.crashed = !WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3);
  return out;
}

}  // namespace finsent::testing
