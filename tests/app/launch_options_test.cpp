// The local launcher's pure parts: which flags are stripped from the ranks' command line and the
// torchrun environment each rank gets.
#include <gtest/gtest.h>

#include <map>

#include "cli_launch_options.hpp"
#include "command.hpp"

namespace finsent::app {
namespace {

using Args = std::vector<std::string>;

std::map<std::string, std::string> env_of(const ChildCommand& c) {
  return {c.environment.begin(), c.environment.end()};
}

TEST(LaunchOptions, StripsEveryLauncherFlagInBothForms) {
  const Args argv = {"/usr/bin/finsent",
                     "train",
                     "--nproc-per-node",
                     "4",
                     "--data",
                     "d.txt",
                     "--nnodes=2",
                     "--node-rank",
                     "1",
                     "--master-addr",
                     "10.0.0.1",
                     "--master-port=1234",
                     "--out",
                     "o"};
  EXPECT_EQ(strip_launch_flags(argv),
            (Args{"/usr/bin/finsent", "train", "--data", "d.txt", "--out", "o"}));
}

TEST(LaunchOptions, KeepsLookalikesAndArgvZero) {
  const Args argv = {"--nnodes", "train", "--nnodes-extra", "x", "--data", "--master-portable"};
  EXPECT_EQ(strip_launch_flags(argv), argv);
}

TEST(LaunchOptions, RankEnvironmentMatchesTorchrun) {
  LaunchOptions o;
  o.nproc_per_node = 3;
  o.nnodes = 2;
  o.node_rank = 1;
  o.master_addr = "10.1.2.3";
  o.master_port = 4000;
  const auto commands = local_rank_commands(
      "/proc/exe", {"finsent", "train", "--nproc-per-node", "3", "--epochs", "1"}, o, "abc");
  ASSERT_EQ(commands.size(), 3u);
  for (int local_rank = 0; local_rank < 3; ++local_rank) {
    const auto& c = commands[static_cast<size_t>(local_rank)];
    const int rank = 3 + local_rank;
    EXPECT_EQ(c.label, "rank " + std::to_string(rank));
    EXPECT_EQ(c.program, "/proc/exe");
    EXPECT_EQ(c.argv, (Args{"finsent", "train", "--epochs", "1"}));
    const std::map<std::string, std::string> want = {{"RANK", std::to_string(rank)},
                                                     {"LOCAL_RANK", std::to_string(local_rank)},
                                                     {"WORLD_SIZE", "6"},
                                                     {"LOCAL_WORLD_SIZE", "3"},
                                                     {"GROUP_RANK", "1"},
                                                     {"MASTER_ADDR", "10.1.2.3"},
                                                     {"MASTER_PORT", "4000"},
                                                     {"TORCHELASTIC_RUN_ID", "abc"},
                                                     {"TORCHELASTIC_RESTART_COUNT", "0"}};
    EXPECT_EQ(env_of(c), want);
  }
}

TEST(LaunchOptions, DefaultsAreTorchrunsStaticRendezvous) {
  LaunchOptions o;
  o.nproc_per_node = 2;
  const auto env = env_of(local_rank_commands("p", {"finsent"}, o, "r").at(1));
  EXPECT_EQ(env.at("MASTER_ADDR"), "127.0.0.1");
  EXPECT_EQ(env.at("MASTER_PORT"), "29500");
  EXPECT_EQ(env.at("WORLD_SIZE"), "2");
  EXPECT_EQ(env.at("RANK"), "1");
}

TEST(LaunchOptions, LaunchesOnlyForSeveralProcessesAndNotInsideARank) {
  LaunchOptions o;
  EXPECT_FALSE(is_launcher(o, false));
  o.nproc_per_node = 2;
  EXPECT_TRUE(is_launcher(o, false));
  EXPECT_FALSE(is_launcher(o, true));
  o.nproc_per_node = 1;
  o.nnodes = 2;
  EXPECT_TRUE(is_launcher(o, false));
  o.node_rank = 2;
  EXPECT_THROW(is_launcher(o, false), UsageError);
}

TEST(LaunchOptions, FlagsAreParsedAndChecked) {
  auto parse = [](const Args& args) {
    CLI::App app;
    LaunchOptions o;
    add_launch_options(&app, o);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    return o;
  };
  const auto o = parse({"--nproc-per-node", "4", "--nnodes=2", "--node-rank", "1", "--master-addr",
                        "h", "--master-port", "80"});
  EXPECT_EQ(o.nproc_per_node, 4);
  EXPECT_EQ(o.nnodes, 2);
  EXPECT_EQ(o.node_rank, 1);
  EXPECT_EQ(o.master_addr, "h");
  EXPECT_EQ(o.master_port, 80);
  EXPECT_THROW(parse({"--nproc-per-node", "0"}), CLI::ValidationError);
  EXPECT_THROW(parse({"--master-port", "65536"}), CLI::ValidationError);
  EXPECT_THROW(parse({"--node-rank", "-1"}), CLI::ValidationError);
}

TEST(LaunchOptions, RunIdsAreFreshHex) {
  const auto a = fresh_run_id(), b = fresh_run_id();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace finsent::app
