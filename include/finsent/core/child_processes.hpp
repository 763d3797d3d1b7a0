// Starts a group of child processes and supervises them as one job, as torchrun's local agent
// does: forwards SIGINT/SIGTERM, and stops the rest when one of them fails.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace finsent {

// One child: `program` (a path, not searched in PATH) started with `argv` (argv[0] included) and
// this process's environment plus `environment` (a variable named there replaces the inherited
// one). stdin, stdout and stderr are inherited.
struct ChildCommand {
  std::string label;  // how the verdict names it, e.g. "rank 3"
  std::string program;
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> environment;
};

// How one child ended.
struct ChildExit {
  std::string label;
  int pid = 0;
  int exit_code = 0;  // valid when signal == 0
  int signal = 0;     // the signal that killed it, 0 when it exited
  bool succeeded() const { return signal == 0 && exit_code == 0; }
  // "exited with code 3" or "was killed by signal SIGKILL".
  std::string how() const;
};

// The group's verdict.
struct ChildGroupResult {
  std::vector<ChildExit> exits;  // in the order of the commands
  int first_failure = -1;        // index of the first child to fail on its own, -1 when none
  int interrupted_by = 0;        // SIGINT or SIGTERM received by this process, 0 when none
  int stopped = 0;               // children still running when the group was told to stop
  bool succeeded() const { return first_failure < 0 && interrupted_by == 0; }
  // The shell's convention: 0 on success, the failed child's exit code, or 128 + the signal
  // (that killed it, or that interrupted this process).
  int exit_status() const;
  // One line: "all 4 processes exited with code 0", "rank 2 (pid 812) was killed by signal
  // SIGKILL; 3 processes still running were stopped", "interrupted by SIGINT; 4 processes
  // stopped".
  std::string summary() const;
};

// Starts every command (fork + execve) and waits for all of them:
//   - SIGINT and SIGTERM sent to this process are forwarded to the children still running;
//   - when a child exits non-zero or is killed by a signal, the others get SIGTERM;
//   - a child still running `grace` after a SIGTERM gets SIGKILL.
// Returns when every child has been reaped. The handlers of SIGINT, SIGTERM and SIGCHLD are
// replaced while it runs and restored after; call it from one thread at a time.
// Throws IoError when a child cannot be started (fork fails, or execve fails: a missing program,
// say); the children already started are then killed and reaped first.
ChildGroupResult run_child_processes(const std::vector<ChildCommand>& commands,
                                     std::chrono::milliseconds grace = std::chrono::seconds(30));

// "SIGKILL" for SIGKILL; "signal N" for a number without a name.
std::string signal_name(int signal);

// The path of the running executable (/proc/self/exe resolved); `fallback` (argv[0], say) when
// it cannot be read.
std::string current_executable(const std::string& fallback);

}  // namespace finsent
