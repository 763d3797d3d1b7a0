// A config.json claiming sizes its checkpoint does not have: every model-loading command refuses it
// in one line, in bounded memory and time (the sizes are checked against the checkpoint header
// before any module is allocated).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/run_limited.hpp"

namespace finsent {
namespace {

namespace fs = std::filesystem;
using testing::run_limited;

class HostileConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("finsent_hostile_config_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream data(dir_ / "data.txt");
    for (int i = 0; i < 20; ++i)
      data << "the company rose in the quarter .@" << (i % 2 ? "positive" : "negative") << "\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // tiny-bert (or `from`) with `patch` merged into its config.json.
  fs::path model(const nlohmann::json& patch, const std::string& from = "tiny-bert") {
    const fs::path out = dir_ / ("model" + std::to_string(models_++));
    fs::copy(testing::fixture("models/" + from), out);
    nlohmann::json config;
    std::ifstream(out / "config.json") >> config;
    config.merge_patch(patch);
    std::ofstream(out / "config.json", std::ios::trunc) << config.dump(2);
    return out;
  }

  fs::path dir_;
  int models_ = 0;
};

TEST_F(HostileConfig, EveryLoaderRefusesInBoundedMemory) {
  const fs::path huge_vocab = model({{"vocab_size", 20000000}});
  const fs::path many_layers = model({{"num_hidden_layers", 1000000000}});
  const std::string data = (dir_ / "data.txt").string();
  const std::vector<std::pair<fs::path, std::string>> cases = {
      {huge_vocab, ": vocab_size: 20000000 disagrees with the checkpoint: "},
      {many_layers, ": num_hidden_layers: 1000000000 disagrees with the checkpoint: "}};
  for (const auto& [dir, message] : cases) {
    const std::vector<std::vector<std::string>> commands = {
        {"predict", "--model", dir.string(), "profit rose"},
        {"eval", "--data", data, "--model", dir.string()},
        {"serve", "--model", dir.string(), "--port", "0"},
        {"train", "--data", data, "--model", dir.string(), "--out", (dir_ / "out").string()}};
    for (const auto& args : commands) {
      const auto r = run_limited(args);
      SCOPED_TRACE(args[0] + " " + dir.string());
      EXPECT_EQ(r.exit_code, 1) << r.err;
      EXPECT_TRUE(testing::one_line(r.err)) << r.err;
      EXPECT_EQ(r.err.rfind("finsent: error: " + (dir / "config.json").string() + message, 0), 0)
          << r.err;
      // The modules these configs describe take 2.5 GB (vocabulary) and ~10 TB (layers); LibTorch
      // and the tiny checkpoint alone stay far below this bound.
      EXPECT_LT(r.max_rss_kb, 400 * 1024) << r.err;
      EXPECT_LT(r.seconds, 60.0);
    }
  }
}

TEST_F(HostileConfig, HeadWithOtherRowsThanConfigLabelsIsRefused) {
  // config.json without id2label (num_labels defaults to 2) over a trained 3-row head.
  const fs::path dir = model({{"id2label", nullptr}, {"label2id", nullptr}});
  const auto r = run_limited({"predict", "--model", dir.string(), "operating profit rose"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "finsent: error: " + (dir / "config.json").string() +
                       ": num_labels: 2 disagrees with the checkpoint: " +
                       (dir / "model.safetensors").string() +
                       " holds classifier.weight as [3, 32] (config.json makes it [2, 32]); "
                       "config.json has no id2label, so num_labels defaults to 2\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace finsent
