// `finsent train --nproc-per-node N [--nnodes M --node-rank R --master-addr A --master-port P]`:
// the local launcher for users without Python, torchrun's flags and environment.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "finsent/core/child_processes.hpp"

namespace finsent::app {

// torchrun's static-rendezvous flags, with its defaults.
struct LaunchOptions {
  int nproc_per_node = 1;                 // processes started on this machine
  int nnodes = 1;                         // machines in the run
  int node_rank = 0;                      // this machine, [0, nnodes)
  std::string master_addr = "127.0.0.1";  // host of rank 0 (node 0)
  int master_port = 29500;                // its free TCP port
};

// Adds the five flags (each checked for its range while parsing) to `cmd`.
void add_launch_options(CLI::App* cmd, LaunchOptions& options);

// Whether this invocation is a launcher: more than one process in the run (nnodes x
// nproc_per_node > 1) and this process is not already one of them (RANK is unset or empty). Throws
// UsageError when node_rank >= nnodes.
bool is_launcher(const LaunchOptions& options, bool rank_is_set);

// `argv` without the launcher flags, in either form (`--nproc-per-node 4`, `--nproc-per-node=4`).
std::vector<std::string> strip_launch_flags(const std::vector<std::string>& argv);

// The children this node starts: local rank i runs `argv` without the launcher flags, with
// RANK = node_rank x nproc_per_node + i, LOCAL_RANK = i, WORLD_SIZE = nnodes x nproc_per_node,
// LOCAL_WORLD_SIZE = nproc_per_node, GROUP_RANK = node_rank, MASTER_ADDR, MASTER_PORT,
// TORCHELASTIC_RUN_ID = run_id and TORCHELASTIC_RESTART_COUNT = 0, as torchrun sets them.
// `program` is the executable they run; each is labelled "rank RANK".
std::vector<ChildCommand> local_rank_commands(const std::string& program,
                                              const std::vector<std::string>& argv,
                                              const LaunchOptions& options,
                                              const std::string& run_id);

// A fresh rendezvous id: 16 hexadecimal digits.
std::string fresh_run_id();

// Runs local_rank_commands(current executable, argv, ...) to completion and returns the exit
// status the launcher ends with (ChildGroupResult::exit_status); a failure is printed first, one
// line `finsent: error: <summary>` on stderr.
int launch_local_ranks(const std::vector<std::string>& argv, const LaunchOptions& options);

}  // namespace finsent::app
