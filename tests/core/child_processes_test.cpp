// run_child_processes with /bin/sh children: exit codes, failure propagation, the grace period,
// the environment, signal forwarding.
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "finsent/core/child_processes.hpp"
#include "finsent/core/error.hpp"

namespace finsent {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

ChildCommand shell(const std::string& label, const std::string& script,
                   std::vector<std::pair<std::string, std::string>> environment = {}) {
  return {label, "/bin/sh", {"sh", "-c", script}, std::move(environment)};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(ChildProcesses, AllExitingZeroIsSuccess) {
  const auto result = run_child_processes({shell("rank 0", "exit 0"), shell("rank 1", "true")});
  EXPECT_TRUE(result.succeeded());
  EXPECT_EQ(result.exit_status(), 0);
  EXPECT_EQ(result.summary(), "all 2 processes exited with code 0");
  ASSERT_EQ(result.exits.size(), 2u);
  EXPECT_EQ(result.exits[1].label, "rank 1");
  EXPECT_GT(result.exits[1].pid, 0);
}

TEST(ChildProcesses, ANonZeroExitStopsTheOthersAndIsReported) {
  const auto start = std::chrono::steady_clock::now();
  const auto result =
      run_child_processes({shell("rank 0", "exec sleep 30"), shell("rank 1", "exit 3"),
                           shell("rank 2", "exec sleep 30")},
                          seconds(5));
  EXPECT_LT(seconds_since(start), 4.0);
  EXPECT_FALSE(result.succeeded());
  EXPECT_EQ(result.first_failure, 1);
  EXPECT_EQ(result.exit_status(), 3);
  EXPECT_EQ(result.exits[0].signal, SIGTERM);
  EXPECT_EQ(result.exits[2].signal, SIGTERM);
  EXPECT_EQ(result.summary(), "rank 1 (pid " + std::to_string(result.exits[1].pid) +
                                  ") exited with code 3; 2 processes still running were stopped");
}

TEST(ChildProcesses, AChildKilledBySigkillEndsTheGroupWithinTheGracePeriod) {
  const auto start = std::chrono::steady_clock::now();
  // rank 1 ignores SIGTERM, so only the SIGKILL after the grace period ends it.
  const auto result = run_child_processes(
      {shell("rank 0", "sleep 0.2; kill -KILL $$"), shell("rank 1", "trap '' TERM; exec sleep 30"),
       shell("rank 2", "exec sleep 30")},
      milliseconds(700));
  const double elapsed = seconds_since(start);
  EXPECT_GE(elapsed, 0.8);
  EXPECT_LT(elapsed, 5.0);
  EXPECT_EQ(result.first_failure, 0);
  EXPECT_EQ(result.exits[0].signal, SIGKILL);
  EXPECT_EQ(result.exits[1].signal, SIGKILL);
  EXPECT_EQ(result.exits[2].signal, SIGTERM);
  EXPECT_EQ(result.exit_status(), 128 + SIGKILL);
  EXPECT_EQ(result.summary(), "rank 0 (pid " + std::to_string(result.exits[0].pid) +
                                  ") was killed by signal SIGKILL; 2 processes still running "
                                  "were stopped");
}

TEST(ChildProcesses, EnvironmentIsInheritedWithOverrides) {
  ::setenv("FINSENT_CHILD_TEST_INHERITED", "kept", 1);
  ::setenv("FINSENT_CHILD_TEST_REPLACED", "old", 1);
  const auto result = run_child_processes({shell(
      "rank 0",
      "test \"$FINSENT_CHILD_TEST_INHERITED\" = kept && test \"$FINSENT_CHILD_TEST_REPLACED\" = "
      "new "
      "&& test \"$RANK\" = 7 && test \"$(env | grep -c '^FINSENT_CHILD_TEST_REPLACED=')\" = 1",
      {{"FINSENT_CHILD_TEST_REPLACED", "new"}, {"RANK", "7"}})});
  ::unsetenv("FINSENT_CHILD_TEST_INHERITED");
  ::unsetenv("FINSENT_CHILD_TEST_REPLACED");
  EXPECT_TRUE(result.succeeded()) << result.summary();
}

TEST(ChildProcesses, ArgvIsPassedAsGiven) {
  const auto result =
      run_child_processes({{"rank 0",
                            "/bin/sh",
                            {"sh", "-c", "test \"$0\" = 'a b' && test \"$1\" = c", "a b", "c"},
                            {}}});
  EXPECT_TRUE(result.succeeded()) << result.summary();
}

TEST(ChildProcesses, SigtermToTheLauncherIsForwardedToTheChildren) {
  std::thread sender([] {
    std::this_thread::sleep_for(milliseconds(300));
    ::kill(::getpid(), SIGTERM);
  });
  const auto start = std::chrono::steady_clock::now();
  const auto result = run_child_processes(
      {shell("rank 0", "exec sleep 30"), shell("rank 1", "exec sleep 30")}, seconds(10));
  sender.join();
  EXPECT_LT(seconds_since(start), 5.0);
  EXPECT_EQ(result.interrupted_by, SIGTERM);
  EXPECT_EQ(result.first_failure, -1);
  EXPECT_EQ(result.exits[0].signal, SIGTERM);
  EXPECT_EQ(result.exits[1].signal, SIGTERM);
  EXPECT_EQ(result.exit_status(), 128 + SIGTERM);
  EXPECT_EQ(result.summary(), "interrupted by SIGTERM; 2 processes stopped");
  // The previous disposition is back: SIGTERM is no longer caught.
  struct sigaction now {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST(ChildProcesses, AMissingProgramThrowsAndLeavesNoChildBehind) {
  try {
    run_child_processes(
        {shell("rank 0", "exec sleep 30"), {"rank 1", "/nonexistent/finsent", {"finsent"}, {}}});
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot start rank 1 (/nonexistent/finsent): No such file or directory");
  }
  int status = 0;
  EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1) << "a child was left unreaped";
}

TEST(ChildProcesses, SignalNames) {
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(0), "signal 0");
}

TEST(ChildProcesses, CurrentExecutableIsThisTestBinary) {
  EXPECT_EQ(std::filesystem::path(current_executable("fallback")).filename(), "core_tests");
}

}  // namespace
}  // namespace finsent
