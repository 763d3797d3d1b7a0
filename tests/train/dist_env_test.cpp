// torchrun's environment contract: what a worker's variables mean and which values are refused.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "finsent/core/error.hpp"
#include "finsent/train/dist_env.hpp"

namespace finsent::train {
namespace {

using Vars = std::map<std::string, std::string>;

std::optional<DistEnv> read(const Vars& vars) {
  return dist_env_from_environment([&vars](const char* name) -> const char* {
    const auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  });
}

std::string error_of(const Vars& vars) {
  try {
    read(vars);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// What torchrun --nnodes 2 --nproc-per-node 4 sets for the second worker of the second node.
Vars torchrun_worker() {
  return {{"RANK", "5"},
          {"WORLD_SIZE", "8"},
          {"LOCAL_RANK", "1"},
          {"LOCAL_WORLD_SIZE", "4"},
          {"GROUP_RANK", "1"},
          {"MASTER_ADDR", "10.0.0.1"},
          {"MASTER_PORT", "29500"},
          {"TORCHELASTIC_RUN_ID", "job42"},
          {"TORCHELASTIC_RESTART_COUNT", "2"}};
}

TEST(DistEnv, ReadsEveryTorchrunVariable) {
  const auto env = read(torchrun_worker());
  ASSERT_TRUE(env);
  EXPECT_EQ(env->rank, 5);
  EXPECT_EQ(env->world_size, 8);
  EXPECT_EQ(env->local_rank, 1);
  EXPECT_EQ(env->local_world_size, 4);
  EXPECT_EQ(env->group_rank, 1);
  EXPECT_EQ(env->master_addr, "10.0.0.1");
  EXPECT_EQ(env->master_port, 29500);
  EXPECT_EQ(env->run_id, "job42");
  EXPECT_EQ(env->restart_count, 2);
}

TEST(DistEnv, NoWorldSizeOrASingleProcessWithoutRankIsNotDistributed) {
  EXPECT_FALSE(read({}));
  EXPECT_FALSE(read({{"RANK", "0"}, {"MASTER_ADDR", "x"}}));
  EXPECT_FALSE(read({{"WORLD_SIZE", "1"}}));
  EXPECT_FALSE(read({{"WORLD_SIZE", ""}, {"RANK", "3"}}));
}

TEST(DistEnv, TorchrunWithOneProcessIsAWorldOfOne) {
  const auto env = read({{"WORLD_SIZE", "1"}, {"RANK", "0"}});
  ASSERT_TRUE(env);
  EXPECT_EQ(env->world_size, 1);
  EXPECT_EQ(env->master_addr, "");
  EXPECT_EQ(env->master_port, 0);
}

TEST(DistEnv, WithoutLocalVariablesOneNodeHoldsEveryProcess) {
  const auto env =
      read({{"WORLD_SIZE", "3"}, {"RANK", "2"}, {"MASTER_ADDR", "h"}, {"MASTER_PORT", "1"}});
  ASSERT_TRUE(env);
  EXPECT_EQ(env->local_rank, 2);
  EXPECT_EQ(env->local_world_size, 3);
  EXPECT_EQ(env->group_rank, 0);
  EXPECT_EQ(env->run_id, "");
  EXPECT_EQ(env->restart_count, 0);
}

TEST(DistEnv, NonIntegersAreNamedWithTheirValue) {
  for (const char* name : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "GROUP_RANK",
                           "MASTER_PORT", "TORCHELASTIC_RESTART_COUNT"}) {
    for (const char* bad : {"two", "1.5", " 1", "1 ", "+1", "0x1"}) {
      auto vars = torchrun_worker();
      vars[name] = bad;
      EXPECT_EQ(error_of(vars),
                "environment variable " + std::string(name) + "='" + bad + "' is not an integer");
    }
  }
}

TEST(DistEnv, RanksMustBeBelowTheirWorld) {
  auto vars = torchrun_worker();
  vars["RANK"] = "8";
  EXPECT_EQ(error_of(vars), "environment variable RANK='8' is not below WORLD_SIZE=8");
  vars = torchrun_worker();
  vars["LOCAL_RANK"] = "4";
  EXPECT_EQ(error_of(vars), "environment variable LOCAL_RANK='4' is not below LOCAL_WORLD_SIZE=4");
  vars = torchrun_worker();
  vars["GROUP_RANK"] = "9";
  EXPECT_EQ(error_of(vars), "environment variable GROUP_RANK='9' is not below WORLD_SIZE=8");
  vars = torchrun_worker();
  vars["LOCAL_WORLD_SIZE"] = "9";
  EXPECT_EQ(error_of(vars),
            "environment variable LOCAL_WORLD_SIZE='9' is larger than WORLD_SIZE=8");
}

TEST(DistEnv, OutOfRangeValuesAreRefused) {
  auto vars = torchrun_worker();
  vars["RANK"] = "-1";
  EXPECT_EQ(error_of(vars), "environment variable RANK='-1' is out of range (expected at least 0)");
  vars = torchrun_worker();
  vars["WORLD_SIZE"] = "0";
  EXPECT_EQ(error_of(vars),
            "environment variable WORLD_SIZE='0' is out of range (expected at least 1)");
  vars = torchrun_worker();
  vars["WORLD_SIZE"] = "99999999999999999999";
  EXPECT_EQ(error_of(vars),
            "environment variable WORLD_SIZE='99999999999999999999' is out of "
            "range (expected at least 1)");
  vars = torchrun_worker();
  vars["TORCHELASTIC_RESTART_COUNT"] = "-2";
  EXPECT_EQ(error_of(vars),
            "environment variable TORCHELASTIC_RESTART_COUNT='-2' is out of range "
            "(expected at least 0)");
}

TEST(DistEnv, PortMustBeATcpPort) {
  for (const char* bad : {"0", "65536", "-80"}) {
    auto vars = torchrun_worker();
    vars["MASTER_PORT"] = bad;
    EXPECT_EQ(error_of(vars), "environment variable MASTER_PORT='" + std::string(bad) +
                                  "' is out of range (expected in 1..65535)");
  }
  auto vars = torchrun_worker();
  vars["MASTER_PORT"] = "65535";
  EXPECT_EQ(read(vars)->master_port, 65535);
}

TEST(DistEnv, ADistributedRunNeedsRankAndRendezvous) {
  for (const char* name : {"RANK", "MASTER_ADDR", "MASTER_PORT"}) {
    auto vars = torchrun_worker();
    vars.erase(name);
    EXPECT_EQ(error_of(vars), "environment variable " + std::string(name) +
                                  " is not set but WORLD_SIZE=8 asks for a distributed run");
  }
  auto vars = torchrun_worker();
  vars.erase("LOCAL_RANK");
  EXPECT_EQ(error_of(vars), "environment variable LOCAL_RANK is not set but LOCAL_WORLD_SIZE=4");
}

}  // namespace
}  // namespace finsent::train
