// `finsent train` when the disk fills during a checkpoint write: one line, no temporary folder, the
// last good checkpoint intact, and --resume finishes the run as if nothing had happened.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "common/run_limited.hpp"
#include "train/phrasebank_sample.hpp"

namespace finsent::train {
namespace {
namespace fs = std::filesystem;
using finsent::testing::write_data;

// Every file under `dir` (recursively, hidden ones included) with its bytes.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      out[fs::relative(e.path(), dir).string()] = testing::read_text(e.path());
  return out;
}

TEST(TrainDiskFull, CheckpointWriteFailureKeepsTheLastGoodCheckpointAndResumes) {
  const fs::path dir =
      fs::temp_directory_path() / ("finsent_disk_full_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_data(dir / "data.txt");
  auto args = [&](const fs::path& out) {
    return std::vector<std::string>{
        "--threads",
        "1",
        "train",
        "--data",
        (dir / "data.txt").string(),
        "--model",
        (fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert").string(),
        "--out",
        out.string(),
        "--epochs",
        "2",
        "--batch-size",
        "4",
        "--lr",
        "1e-3",
        "--save-steps",
        "3",
        "--max-length",
        "32"};
  };
  auto with = [](std::vector<std::string> a, std::initializer_list<std::string> more) {
    a.insert(a.end(), more);
    return a;
  };
  const auto full = testing::run_limited(args(dir / "full"));
  ASSERT_EQ(full.exit_code, 0) << full.err;

  // 30 training sentences, 8 steps an epoch: checkpoint-3 is saved, then the run stops at step 4.
  const fs::path cut = dir / "cut";
  ASSERT_EQ(testing::run_limited(with(args(cut), {"--stop-after-steps", "4"})).exit_code, 75);
  ASSERT_TRUE(fs::exists(cut / "checkpoint-3" / "trainer_state.json"));
  const auto good = snapshot(cut / "checkpoint-3");

  // Resumed with files limited to 120 KB: model.pt (~95 KB) fits, optimizer.pt (~190 KB) does not,
  // so checkpoint-6 fails mid-write, as on a disk that fills up.
  testing::Limits limits;
  limits.file_size = 120 * 1024;
  const auto failed = testing::run_limited(with(args(cut), {"--resume", cut.string()}), limits);
  EXPECT_EQ(failed.exit_code, 1) << "signal " << failed.signal << ": " << failed.err;
  EXPECT_TRUE(testing::one_line(failed.err)) << failed.err;
  EXPECT_EQ(failed.err.rfind("finsent: error: checkpoint-6 not saved (cannot write " +
                                 (cut / ".checkpoint-6.tmp-").string(),
                             0),
            0)
      << failed.err;
  EXPECT_NE(failed.err.find("/optimizer.pt: write failed: File too large); its temporary folder "
                            "was removed; the last good checkpoint is " +
                            (cut / "checkpoint-3").string() + " (continue with --resume " +
                            cut.string() + ")\n"),
            std::string::npos)
      << failed.err;
  for (const auto& e : fs::directory_iterator(cut))
    EXPECT_NE(e.path().filename().string().rfind(".checkpoint-", 0), 0u) << e.path();
  EXPECT_EQ(snapshot(cut / "checkpoint-3"), good) << "the last good checkpoint must not change";
  EXPECT_FALSE(fs::exists(cut / "model.safetensors"));
  EXPECT_FALSE(fs::exists(cut / "metrics.json"));

  // With space again, --resume finishes bit-identical to the uninterrupted run.
  const auto resumed = testing::run_limited(with(args(cut), {"--resume", cut.string()}));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(testing::read_text(cut / "model.safetensors"),
            testing::read_text(dir / "full" / "model.safetensors"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace finsent::train
