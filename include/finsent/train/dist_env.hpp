// The environment contract of torchrun (torch.distributed.run): which process of a data-parallel
// run this one is, and where its rendezvous is.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace finsent::train {

// The variables torchrun sets for each worker it starts (and `finsent train --nproc-per-node`
// sets the same way).
struct DistEnv {
  int rank = 0;              // RANK: this process among all, [0, world_size)
  int world_size = 1;        // WORLD_SIZE: processes in the run, >= 1
  int local_rank = 0;        // LOCAL_RANK: this process on its node, [0, local_world_size)
  int local_world_size = 1;  // LOCAL_WORLD_SIZE: processes on this node, [1, world_size]
  int group_rank = 0;        // GROUP_RANK: this node (torchrun's node rank), [0, world_size)
  std::string master_addr;   // MASTER_ADDR: host of rank 0's store ("" only when world_size = 1)
  int master_port = 0;       // MASTER_PORT: its TCP port, [1, 65535] (0 only when world_size = 1)
  std::string run_id;        // TORCHELASTIC_RUN_ID: the rendezvous id ("" when not set)
  int restart_count = 0;     // TORCHELASTIC_RESTART_COUNT: restarts of the worker group so far
};

// Looks a variable up by name; nullptr when it is not set (::getenv's contract).
using EnvLookup = std::function<const char*(const char* name)>;

// Reads the torchrun variables through `lookup` (an empty value counts as not set):
//   - no WORLD_SIZE, or WORLD_SIZE=1 without RANK: nullopt, a single process (no distribution);
//   - otherwise RANK is required, and with WORLD_SIZE > 1 so are MASTER_ADDR and MASTER_PORT
//     (what torch's env:// rendezvous requires);
//   - without LOCAL_WORLD_SIZE one node holds every process (LOCAL_WORLD_SIZE = WORLD_SIZE,
//     LOCAL_RANK defaults to RANK), as a launcher other than torchrun (a hand-written script) on
//     a single machine means; with it, LOCAL_RANK is required; GROUP_RANK defaults to 0;
//   - TORCHELASTIC_RUN_ID defaults to "", TORCHELASTIC_RESTART_COUNT to 0.
// Throws InputError, one line naming the variable and its value, for a value that is not a
// decimal integer, out of its range (see DistEnv: RANK >= WORLD_SIZE, LOCAL_RANK >=
// LOCAL_WORLD_SIZE, ...), a port outside 1..65535, or a required variable that is missing, e.g.
// "environment variable RANK='4' is not below WORLD_SIZE=4".
std::optional<DistEnv> dist_env_from_environment(const EnvLookup& lookup);

// The same, reading this process's environment (::getenv).
std::optional<DistEnv> dist_env_from_environment();

}  // namespace finsent::train
