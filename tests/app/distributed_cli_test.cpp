// Data-parallel `finsent train` on c10d Gloo, as users start it: the built-in launcher
// (--nproc-per-node), torchrun when it is installed, and two hosts (network namespaces joined by
// a veth pair). The proof is equality: the ranks' final weights equal one process training on the
// same global batches, to fp32 reduction tolerance.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "common/free_port.hpp"
#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::run_cli;

// A safetensors file's float32 tensors (enough for finsent's saved models).
std::map<std::string, std::vector<float>> read_f32_tensors(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  uint64_t header_size = 0;
  in.read(reinterpret_cast<char*>(&header_size), 8);
  std::string header(header_size, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_size));
  const auto doc = nlohmann::json::parse(header);
  std::map<std::string, std::vector<float>> tensors;
  for (const auto& [name, info] : doc.items()) {
    if (name == "__metadata__" || info.at("dtype") != "F32") continue;
    const auto begin = info.at("data_offsets")[0].get<uint64_t>();
    const auto end = info.at("data_offsets")[1].get<uint64_t>();
    std::vector<float> values((end - begin) / 4);
    in.seekg(static_cast<std::streamoff>(8 + header_size + begin));
    in.read(reinterpret_cast<char*>(values.data()), static_cast<std::streamsize>(end - begin));
    tensors[name] = std::move(values);
  }
  return tensors;
}

// The largest |a - b| over the tensors of two saved models (which must have the same tensors),
// but for the attention key biases: their gradient is zero in exact arithmetic (softmax does not
// change when every key's score moves by the same q.b), so it is pure rounding noise, which AdamW
// normalizes into steps of about lr in any direction. Two single-process runs whose batches are
// summed in another order differ there by 3e-4 too; every other tensor agrees to ~1e-6.
double max_weight_diff(const fs::path& a, const fs::path& b) {
  const auto ta = read_f32_tensors(a / "model.safetensors");
  const auto tb = read_f32_tensors(b / "model.safetensors");
  EXPECT_EQ(ta.size(), tb.size());
  EXPECT_FALSE(ta.empty());
  double worst = 0;
  for (const auto& [name, va] : ta) {
    if (name.find("attention.self.key.bias") != std::string::npos) continue;
    const auto it = tb.find(name);
    if (it == tb.end() || it->second.size() != va.size()) {
      ADD_FAILURE() << name << " differs in presence or size";
      continue;
    }
    for (size_t i = 0; i < va.size(); ++i)
      worst = std::max(worst, static_cast<double>(std::fabs(va[i] - it->second[i])));
  }
  return worst;
}

class Distributed : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_distributed_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 48 rows: a 40-row training split (85%), a multiple of the global batch 8.
    std::ofstream out(dir_ / "data.txt", std::ios::binary);
    const char* labels[] = {"positive", "negative", "neutral"};
    for (int i = 0; i < 48; ++i)
      out << "operating profit "
          << (i % 3 == 0   ? "rose"
              : i % 3 == 1 ? "fell"
                           : "was flat")
          << " in quarter " << i << '@' << labels[i % 3] << '\n';
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `finsent train` with dropout off and per-process batch 4; `extra` adds flags.
  std::vector<std::string> train(const std::string& out, std::vector<std::string> extra) const {
    std::vector<std::string> args = {"train",
                                     "--data",
                                     (dir_ / "data.txt").string(),
                                     "--model",
                                     testing::fixture("models/tiny-bert").string(),
                                     "--out",
                                     (dir_ / out).string(),
                                     "--epochs",
                                     "2",
                                     "--batch-size",
                                     "4",
                                     "--val-ratio",
                                     "0",
                                     "--lr",
                                     "1e-3",
                                     "--no-dropout",
                                     "--dist-timeout",
                                     "30"};
    // A flag of `extra` that is already there (--epochs, --dist-timeout) takes its new value.
    for (size_t i = 0; i < extra.size(); ++i) {
      const auto at =
          extra[i].rfind("--", 0) == 0 ? std::find(args.begin(), args.end(), extra[i]) : args.end();
      if (at != args.end() && at + 1 != args.end() && i + 1 < extra.size()) {
        *(at + 1) = extra[i + 1];
        ++i;
      } else {
        args.push_back(extra[i]);
      }
    }
    return args;
  }

  // One process through the same data-parallel path (a world of 1), the global batch 8 taken as
  // two accumulated batches of 4: what every multi-rank run here must equal.
  fs::path reference(const std::vector<std::string>& extra = {}) {
    const std::string name = extra.empty() ? "reference" : "reference-" + extra[0].substr(2);
    const fs::path out = dir_ / name;
    if (!fs::exists(out / "model.safetensors")) {
      std::vector<std::string> flags = {"--grad-accum", "2"};
      flags.insert(flags.end(), extra.begin(), extra.end());
      // A world of 1 still hosts the rendezvous: on a port of its own, not the default 29500
      // that other tests' reference runs, side by side under ctest -j, would share.
      const auto r =
          run_cli(train(name, flags), "",
                  "env RANK=0 WORLD_SIZE=1 MASTER_PORT=" + std::to_string(testing::free_port()));
      EXPECT_EQ(r.exit_code, 0) << r.err;
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(Distributed, TwoRanksEqualOneProcessWithTheSameGlobalBatch) {
  const auto r = run_cli(train(
      "two", {"--nproc-per-node", "2", "--master-port", std::to_string(testing::free_port())}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("accuracy"), std::string::npos) << r.out;  // rank 0 reports, once
  EXPECT_EQ(r.out.find("accuracy"), r.out.rfind("accuracy")) << r.out;
  EXPECT_LT(max_weight_diff(dir_ / "two", reference()), 4e-6);
  // Rank 0 alone wrote: one TensorBoard event file, the metrics, the model.
  EXPECT_TRUE(fs::exists(dir_ / "two" / "metrics.json"));
  int event_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "two" / "runs"))
    event_files += e.path().filename().string().rfind("events.out.tfevents.", 0) == 0;
  EXPECT_EQ(event_files, 1);
  const auto args = nlohmann::json::parse(std::ifstream(dir_ / "two" / "trainer_state.json"));
  EXPECT_EQ(args.at("world_size"), 2);
  // The same test predictions: the same weights give the same eval report.
  const auto a = run_cli({"eval", "--data", (dir_ / "data.txt").string(), "--model",
                          (dir_ / "two").string(), "--json"});
  const auto b = run_cli(
      {"eval", "--data", (dir_ / "data.txt").string(), "--model", reference().string(), "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(nlohmann::json::parse(a.out).at("confusion_matrix"),
            nlohmann::json::parse(b.out).at("confusion_matrix"));
}

// Each rank encodes its shard of the sentences; the gathered features train the same head.
TEST_F(Distributed, FrozenEncoderFeaturesComputedOnShardsGiveTheSameHead) {
  const auto two =
      run_cli(train("frozen", {"--freeze-encoder", "--nproc-per-node", "2", "--master-port",
                               std::to_string(testing::free_port())}));
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_LT(max_weight_diff(dir_ / "frozen", reference({"--freeze-encoder"})), 4e-6);
}

// torchrun (the reference launcher) starts finsent directly, when PyTorch is installed.
TEST_F(Distributed, TorchrunStartsFinsentRanks) {
  const char* torchrun = std::getenv("FINSENT_TORCHRUN");
  std::string launcher = torchrun ? torchrun : "";
  if (launcher.empty() && std::system("command -v torchrun >/dev/null 2>&1") == 0)
    launcher = "torchrun";
  if (launcher.empty())
    GTEST_SKIP() << "torchrun not found (set FINSENT_TORCHRUN or put it on PATH)";
  const auto r = run_cli(train("torchrun", {}), "",
                         launcher + " --nproc-per-node 2 --master-port " +
                             std::to_string(testing::free_port()) + " --no-python");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(max_weight_diff(dir_ / "torchrun", reference()), 4e-6);
}

// The pid of the finsent process training into `out` with RANK=`rank` in its environment.
int find_rank(const fs::path& out, int rank) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string pid = e.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(e.path() / "cmdline", std::ios::binary), environ(e.path() / "environ");
    const std::string args((std::istreambuf_iterator<char>(cmdline)), {});
    const std::string env((std::istreambuf_iterator<char>(environ)), {});
    if (args.find(out.string()) == std::string::npos) continue;
    if (env.find(std::string("RANK=") + std::to_string(rank) + '\0') == 0 ||
        env.find(std::string("\0RANK=", 6) + std::to_string(rank) + '\0') != std::string::npos)
      return std::stoi(pid);
  }
  return 0;
}

TEST_F(Distributed, AKilledRankStopsTheOthersAndResumeCompletesTheRun) {
  const std::string port = std::to_string(testing::free_port());
  std::vector<std::string> flags = {"--nproc-per-node", "2", "--master-port", port,
                                    "--save-steps",     "2", "--epochs",      "30"};
  CliResult first;
  std::thread run([&] { first = run_cli(train("killed", flags)); });
  // Kill rank 1 once a mid-run checkpoint exists.
  auto has_checkpoint = [&] {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_ / "killed", ec))
      if (e.path().filename().string().rfind("checkpoint-", 0) == 0) return true;
    return false;
  };
  int victim = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline && victim == 0) {
    if (has_checkpoint()) victim = find_rank(dir_ / "killed", 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (victim == 0) run.join();  // the run ended (or never started): nothing to kill
  ASSERT_NE(victim, 0) << "rank 1 was not found training: " << first.err;
  const auto killed_at = std::chrono::steady_clock::now();
  ::kill(victim, SIGKILL);
  run.join();
  EXPECT_LT(std::chrono::steady_clock::now() - killed_at, std::chrono::seconds(40));
  EXPECT_NE(first.exit_code, 0);
  EXPECT_NE(
      first.err.find("rank 1 (pid " + std::to_string(victim) + ") was killed by signal SIGKILL"),
      std::string::npos)
      << first.err;
  EXPECT_FALSE(fs::exists(dir_ / "killed" / "model.safetensors"));
  // Every checkpoint left is complete, and the run resumes from the latest one to its end.
  flags.insert(flags.end(), {"--resume", (dir_ / "killed").string()});
  flags[3] = std::to_string(testing::free_port());
  const auto resumed = run_cli(train("killed", flags));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming from"), std::string::npos) << resumed.out;
  const auto uninterrupted =
      run_cli(train("whole", {"--nproc-per-node", "2", "--master-port",
                              std::to_string(testing::free_port()), "--epochs", "30"}));
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.err;
  EXPECT_LT(max_weight_diff(dir_ / "killed", dir_ / "whole"), 1e-6);
}

TEST_F(Distributed, ResumingAtAnotherWorldSizeContinuesTheEpoch) {
  // Two ranks stop after step 8 of 10 (the testing aid ends every rank with exit code 75).
  const auto first = run_cli(train(
      "regrow", {"--nproc-per-node", "2", "--master-port", std::to_string(testing::free_port()),
                 "--save-steps", "2", "--stop-after-steps", "8"}));
  ASSERT_EQ(first.exit_code, 75) << first.err;
  EXPECT_FALSE(fs::exists(dir_ / "regrow" / "model.safetensors"));
  const auto resumed = run_cli(train(
      "regrow", {"--nproc-per-node", "4", "--master-port", std::to_string(testing::free_port()),
                 "--save-steps", "2", "--resume", (dir_ / "regrow").string()}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("made by 2 rank(s), this run has 4"), std::string::npos)
      << resumed.out;
  EXPECT_TRUE(fs::exists(dir_ / "regrow" / "model.safetensors"));
  const auto state = nlohmann::json::parse(std::ifstream(dir_ / "regrow" / "trainer_state.json"));
  EXPECT_EQ(state.at("world_size"), 4);
}

TEST_F(Distributed, ABusyMasterPortIsOneErrorLine) {
  const int port = testing::free_port();
  // Something listens on the port already: rank 0 cannot host the rendezvous there.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  const auto r =
      run_cli(train("busy", {"--dist-timeout", "5"}), "",
              "env RANK=0 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" + std::to_string(port));
  ::close(fd);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "finsent: error: rank 0: cannot listen on 127.0.0.1:" + std::to_string(port) +
                       ": the port is in use (another run?); choose another "
                       "--master-port/MASTER_PORT\n");
}

TEST_F(Distributed, AnUnreachableMasterIsOneErrorLineWithinTheTimeout) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = run_cli(train("lonely", {"--dist-timeout", "3"}), "",
                         "env RANK=1 WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=" +
                             std::to_string(testing::free_port()));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("finsent: error: rank 1: rendezvous at 127.0.0.1:", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// Two "hosts": network namespaces joined by a veth pair, addresses only inside them.
class TwoHosts : public Distributed {
 protected:
  void SetUp() override {
    Distributed::SetUp();
    tag_ = std::to_string(::getpid() % 100000);
    const std::string a = "fsa" + tag_, b = "fsb" + tag_;
    const std::string setup = "ip netns add " + a + " && ip netns add " + b + " && ip link add va" +
                              tag_ + " netns " + a + " type veth peer vb" + tag_ + " netns " + b +
                              " && ip -n " + a + " addr add 10.213.0.1/24 dev va" + tag_ +
                              " && ip -n " + b + " addr add 10.213.0.2/24 dev vb" + tag_ +
                              " && ip -n " + a + " link set va" + tag_ + " up && ip -n " + b +
                              " link set vb" + tag_ + " up && ip -n " + a +
                              " link set lo up && ip -n " + b + " link set lo up";
    created_ = std::system((setup + " 2>/dev/null").c_str()) == 0;
  }
  void TearDown() override {
    std::system(
        ("ip netns del fsa" + tag_ + " 2>/dev/null; ip netns del fsb" + tag_ + " 2>/dev/null")
            .c_str());
    Distributed::TearDown();
  }
  std::string tag_;
  bool created_ = false;
};

TEST_F(TwoHosts, RanksInTwoNetworkNamespacesEqualOneProcess) {
  if (!created_) GTEST_SKIP() << "cannot create network namespaces here (needs root and iproute2)";
  CliResult ranks[2];
  std::vector<std::thread> threads;
  for (int r = 0; r < 2; ++r)
    threads.emplace_back([&, r] {
      const std::string ns = (r == 0 ? "fsa" : "fsb") + tag_;
      const std::string dev = (r == 0 ? "va" : "vb") + tag_;
      ranks[r] = run_cli(
          train("hosts", {}), "",
          "ip netns exec " + ns + " env RANK=" + std::to_string(r) +
              " WORLD_SIZE=2 LOCAL_RANK=0 LOCAL_WORLD_SIZE=1 GROUP_RANK=" + std::to_string(r) +
              " MASTER_ADDR=10.213.0.1 MASTER_PORT=29400 GLOO_SOCKET_IFNAME=" + dev);
    });
  for (auto& t : threads) t.join();
  ASSERT_EQ(ranks[0].exit_code, 0) << ranks[0].err;
  ASSERT_EQ(ranks[1].exit_code, 0) << ranks[1].err;
  EXPECT_EQ(ranks[1].out, "");  // rank 1 trains and says nothing
  EXPECT_LT(max_weight_diff(dir_ / "hosts", reference()), 4e-6);
}

TEST(Launcher, BadFlagValuesAreUsageErrors) {
  const std::vector<std::string> base = {
      "train", "--data", "x", "--model", testing::fixture("models/tiny-bert").string(),
      "--out", "y"};
  for (const auto& [flag, value] :
       std::vector<std::pair<std::string, std::string>>{{"--nproc-per-node", "0"},
                                                        {"--nproc-per-node", "33495"},
                                                        {"--master-port", "70000"},
                                                        {"--dist-timeout", "0"}}) {
    auto args = base;
    args.insert(args.end(), {flag, value});
    EXPECT_EQ(run_cli(args).exit_code, 2) << flag;
  }
}

TEST(Launcher, NodeRankMustBeBelowNnodes) {
  const auto r =
      run_cli({"train", "--data", "x", "--model", testing::fixture("models/tiny-bert").string(),
               "--out", "y", "--nproc-per-node", "2", "--nnodes", "2", "--node-rank", "2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "finsent: error: --node-rank 2 must be below --nnodes 2\n");
}

}  // namespace
}  // namespace finsent
