// --device on train, eval, predict, serve and lab: its forms, auto, and the one-line refusal of
// cuda in a build without CUDA (never a LibTorch backtrace).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/run_cli.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;

class DeviceFlag : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_device_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream out(dir_ / "data.txt", std::ios::binary);
    for (int i = 0; i < 12; ++i)
      out << "net sales rose " << i << "@positive\nprofit fell " << i << "@negative\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Each command, ready to run but for --device.
  std::vector<std::vector<std::string>> commands() const {
    const std::string model = testing::fixture("models/tiny-bert").string();
    const std::string data = (dir_ / "data.txt").string();
    return {{"train", "--data", data, "--model", model, "--out", (dir_ / "out").string(),
             "--epochs", "1"},
            {"eval", "--data", data, "--model", model},
            {"predict", "--model", model, "Profit rose"},
            {"serve", "--model", model, "--port", "0"},
            {"lab", "--data", data, "--model", model, "--out", (dir_ / "lab").string(), "--quick"}};
  }
  fs::path dir_;
};

TEST_F(DeviceFlag, CudaIsOneErrorLineOnEveryCommandWithoutTheCudaLibraries) {
  if (fs::exists(fs::path(FINSENT_TORCH_LIBRARY_DIR) / "libtorch_cuda.so"))
    GTEST_SKIP() << "LibTorch's CUDA libraries are installed (scripts/setup.sh --cuda)";
  for (const std::string device : {"cuda", "cuda:1"}) {
    for (auto args : commands()) {
      args.push_back("--device");
      args.push_back(device);
      const auto r = run_cli(args);
      EXPECT_EQ(r.exit_code, 1) << args[0] << ": " << r.err;
      const std::string start = "finsent: error: --device " + device + ": LibTorch ";
      EXPECT_EQ(r.err.rfind(start, 0), 0u) << args[0] << ": " << r.err;
      const std::string end =
          "libtorch_cuda.so is not installed (scripts/setup.sh --cuda installs it)); use "
          "--device cpu\n";
      ASSERT_GE(r.err.size(), end.size()) << r.err;
      EXPECT_EQ(r.err.substr(r.err.size() - end.size()), end) << args[0] << ": " << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args[0] << ": " << r.err;
      EXPECT_EQ(r.out, "") << args[0];
    }
  }
  // Refused before anything was written.
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_FALSE(fs::exists(dir_ / "lab"));
}

TEST_F(DeviceFlag, AnotherFormIsAUsageErrorOnEveryCommand) {
  for (const std::string device : {"tpu", "cuda:x", "CPU", "cuda:-1"}) {
    for (auto args : commands()) {
      args.push_back("--device");
      args.push_back(device);
      const auto r = run_cli(args);
      EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
      EXPECT_EQ(r.err.rfind("finsent: error: --device", 0), 0u) << args[0] << ": " << r.err;
      EXPECT_NE(r.err.find("expected auto, cpu, cuda or cuda:N, not '" + device + "'"),
                std::string::npos)
          << r.err;
      EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
  }
}

TEST_F(DeviceFlag, CpuAndAutoPredictTheSame) {
  const std::string model = testing::fixture("models/tiny-bert").string();
  const auto plain = run_cli({"predict", "--json", "--model", model, "Profit rose"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  for (const char* device : {"cpu", "auto"}) {
    const auto r =
        run_cli({"predict", "--json", "--model", model, "--device", device, "Profit rose"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, plain.out) << device;
  }
}

TEST_F(DeviceFlag, HelpListsTheFormsOnEveryCommand) {
  for (const char* command : {"train", "eval", "predict", "serve", "lab"}) {
    const auto r = run_cli({command, "--help"});
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_NE(r.out.find("--device"), std::string::npos) << command;
    EXPECT_NE(r.out.find("auto | cpu | cuda | cuda:N"), std::string::npos) << command;
  }
}

}  // namespace
}  // namespace finsent
