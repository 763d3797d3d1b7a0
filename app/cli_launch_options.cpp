// The local launcher: torchrun's flags, the children's argv and environment, their supervision.
#include "cli_launch_options.hpp"

#include <cstdio>
#include <iostream>
#include <random>

#include "command.hpp"
#include "finsent/core/printable.hpp"

namespace finsent::app {
namespace {

// Each launcher flag takes one value.
constexpr const char* kLaunchFlags[] = {"--nproc-per-node", "--nnodes", "--node-rank",
                                        "--master-addr", "--master-port"};

}  // namespace

void add_launch_options(CLI::App* cmd, LaunchOptions& o) {
  const std::string group = "Distributed (torchrun's launcher)";
  cmd->add_option("--nproc-per-node", o.nproc_per_node,
                  "Start N training processes on this machine (one rank each)")
      ->check(CLI::Range(1, 1024))  // a typo must not fork thousands of processes
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--nnodes", o.nnodes, "Machines in the run (each starts its own launcher)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--node-rank", o.node_rank, "This machine's rank, 0 .. nnodes-1")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--master-addr", o.master_addr, "Address of the machine with node rank 0")
      ->capture_default_str()
      ->group(group);
  cmd->add_option("--master-port", o.master_port, "A free TCP port on that machine")
      ->check(CLI::Range(1, 65535))
      ->capture_default_str()
      ->group(group);
}

bool is_launcher(const LaunchOptions& o, bool rank_is_set) {
  if (o.node_rank >= o.nnodes)
    throw UsageError("--node-rank " + std::to_string(o.node_rank) + " must be below --nnodes " +
                     std::to_string(o.nnodes));
  return static_cast<int64_t>(o.nnodes) * o.nproc_per_node > 1 && !rank_is_set;
}

std::vector<std::string> strip_launch_flags(const std::vector<std::string>& argv) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < argv.size(); ++i) {
    bool skipped = false;
    for (const std::string flag : kLaunchFlags) {
      if (i > 0 && argv[i] == flag) {
        ++i;  // and its value
        skipped = true;
      } else if (i > 0 && argv[i].rfind(flag + "=", 0) == 0) {
        skipped = true;
      }
      if (skipped) break;
    }
    if (!skipped) kept.push_back(argv[i]);
  }
  return kept;
}

std::vector<ChildCommand> local_rank_commands(const std::string& program,
                                              const std::vector<std::string>& argv,
                                              const LaunchOptions& o, const std::string& run_id) {
  const auto child_argv = strip_launch_flags(argv);
  const int world_size = o.nnodes * o.nproc_per_node;
  std::vector<ChildCommand> commands;
  for (int local_rank = 0; local_rank < o.nproc_per_node; ++local_rank) {
    const int rank = o.node_rank * o.nproc_per_node + local_rank;
    commands.push_back({"rank " + std::to_string(rank),
                        program,
                        child_argv,
                        {{"RANK", std::to_string(rank)},
                         {"LOCAL_RANK", std::to_string(local_rank)},
                         {"WORLD_SIZE", std::to_string(world_size)},
                         {"LOCAL_WORLD_SIZE", std::to_string(o.nproc_per_node)},
                         {"GROUP_RANK", std::to_string(o.node_rank)},
                         {"MASTER_ADDR", o.master_addr},
                         {"MASTER_PORT", std::to_string(o.master_port)},
                         {"TORCHELASTIC_RUN_ID", run_id},
                         {"TORCHELASTIC_RESTART_COUNT", "0"}}});
  }
  return commands;
}

std::string fresh_run_id() {
  std::random_device device;
  const uint64_t id = (static_cast<uint64_t>(device()) << 32) ^ device();
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(id));
  return text;
}

int launch_local_ranks(const std::vector<std::string>& argv, const LaunchOptions& options) {
  const std::string program = current_executable(argv.empty() ? "finsent" : argv.front());
  std::fflush(stdout);  // the launcher's own output before the children's
  std::cout.flush();
  const auto result =
      run_child_processes(local_rank_commands(program, argv, options, fresh_run_id()));
  if (!result.succeeded())
    std::cerr << "finsent: error: " << printable_message(result.summary()) << '\n';
  return result.exit_status();
}

}  // namespace finsent::app
