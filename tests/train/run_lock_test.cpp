// One run per output folder: a second process is refused naming the holder; a killed holder
// leaves nothing stuck.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/run_limited.hpp"
#include "finsent/core/error.hpp"
#include "finsent/train/run_lock.hpp"
#include "train/phrasebank_sample.hpp"

namespace finsent::train {
namespace {
namespace fs = std::filesystem;
using finsent::testing::write_data;

fs::path fresh(const std::string& name) {
  auto dir =
      fs::temp_directory_path() / ("finsent_lock_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

// What RunLock(dir) says in a child process: "" when it got the lock.
std::string try_lock_in_child(const fs::path& dir) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    std::string what;
    try {
      RunLock lock(dir, "child");
    } catch (const Error& e) {
      what = e.what();
    }
    const bool ok = ::write(fds[1], what.data(), what.size()) == static_cast<ssize_t>(what.size());
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  std::string out;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;)
    out.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  ::waitpid(pid, nullptr, 0);
  return out;
}

TEST(RunLock, SecondProcessIsRefusedNamingTheHolder) {
  const fs::path dir = fresh("second");
  {
    RunLock lock(dir, "finsent test");
    const std::string refused = try_lock_in_child(dir);
    EXPECT_EQ(refused.rfind(dir.string() + " is in use by another finsent run (pid " +
                                std::to_string(::getpid()) + " on ",
                            0),
              0)
        << refused;
    EXPECT_NE(refused.find(" UTC (finsent test)); wait for it to finish or choose another output "
                           "folder"),
              std::string::npos)
        << refused;
  }
  EXPECT_EQ(try_lock_in_child(dir), "") << "released when the holder is done";
  fs::remove_all(dir);
}

TEST(RunLock, KilledHolderLeavesNothingStuck) {
  const fs::path dir = fresh("killed");
  const pid_t pid = ::fork();
  if (pid == 0) {
    RunLock lock(dir, "doomed");
    ::raise(SIGKILL);  // dies holding the lock
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_TRUE(fs::exists(dir / ".finsent.lock"));  // the file stays; the lock does not
  EXPECT_EQ(try_lock_in_child(dir), "");
  RunLock again(dir, "next run");
  fs::remove_all(dir);
}

std::vector<std::string> train_args(const fs::path& dir, const fs::path& out, int epochs) {
  return {"--threads",
          "1",
          "train",
          "--data",
          (dir / "data.txt").string(),
          "--model",
          (fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert").string(),
          "--out",
          out.string(),
          "--epochs",
          std::to_string(epochs),
          "--batch-size",
          "4",
          "--max-length",
          "32"};
}

TEST(RunLock, TrainRefusesAnOutputFolderInUse) {
  const fs::path dir = fresh("train");
  write_data(dir / "data.txt");
  const fs::path out = dir / "out";
  {
    RunLock lock(out, "finsent test");
    const auto r = testing::run_limited(train_args(dir, out, 1));
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(testing::one_line(r.err)) << r.err;
    EXPECT_EQ(
        r.err.rfind("finsent: error: " + out.string() + " is in use by another finsent run (pid " +
                        std::to_string(::getpid()) + " on ",
                    0),
        0)
        << r.err;
    // Refused before anything was written there.
    EXPECT_EQ(std::distance(fs::directory_iterator(out), {}), 1);
  }
  const auto r = testing::run_limited(train_args(dir, out, 1));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out / "model.safetensors"));
  fs::remove_all(dir);
}

TEST(RunLock, TwoConcurrentTrainRunsNeverMixOneFolder) {
  // A real second `finsent train` while the first is running: refused, naming the first's pid;
  // the first finishes normally.
  const fs::path dir = fresh("concurrent");
  write_data(dir / "data.txt");
  const fs::path out = dir / "out";
  std::vector<std::string> args = train_args(dir, out, 40);
  args.insert(args.begin(), FINSENT_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t first = ::fork();
  if (first == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  // Until the first run has taken the lock (its pid is in the lock file).
  const std::string holder = "pid " + std::to_string(first) + " ";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (testing::read_text(out / ".finsent.lock").rfind(holder, 0) != 0 &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto second = testing::run_limited(train_args(dir, out, 1));
  int status = 0;
  ASSERT_EQ(::waitpid(first, &status, 0), first);
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_NE(second.err.find("is in use by another finsent run (" + holder), std::string::npos)
      << second.err;
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the first run must finish";
  // Everything in the folder is the first run's: 40 epochs.
  const auto args_json = nlohmann::json::parse(testing::read_text(out / "training_args.json"));
  EXPECT_EQ(args_json.at("epochs"), 40);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace finsent::train
