// The training loop on a tiny random BERT and a few dozen sentences: fast path, resume, NaN stop.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "finsent/core/error.hpp"
#include "finsent/train/autocast.hpp"
#include "finsent/train/checkpoint.hpp"
#include "finsent/train/trainer.hpp"

namespace finsent::train {
namespace {
namespace fs = std::filesystem;

const std::vector<std::string> kLabels = {"negative", "neutral", "positive"};

// 36 sentences over the tiny vocabulary; the label follows the verb so the task is learnable.
LabeledTexts tiny_data() {
  const char* subjects[] = {"the company", "net sales",          "operating profit",
                            "the bank",    "finnish oyj shares", "the market"};
  const std::pair<const char*, int> verbs[] = {{"rose", 2},      {"increased", 2}, {"fell", 0},
                                               {"decreased", 0}, {"was", 1},       {"is", 1}};
  LabeledTexts d;
  for (const char* s : subjects)
    for (const auto& [v, y] : verbs) {
      d.texts.push_back(std::string(s) + " " + v + " in the quarter .");
      d.labels.push_back(y);
    }
  return d;
}

fs::path fresh_dir(const std::string& name) {
  auto dir =
      fs::temp_directory_path() / ("finsent_trainer_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

TrainOptions tiny_options(const fs::path& out) {
  TrainOptions o;
  o.model_dir = fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert";
  o.out_dir = out;
  o.epochs = 2;
  o.batch_size = 4;
  o.learning_rate = 1e-3;
  o.max_length = 32;
  o.logging_steps = 3;
  return o;
}

// The highest N of a complete OUT/checkpoint-N (0 when none).
int64_t newest_checkpoint_step(const fs::path& out) {
  const auto latest = latest_checkpoint(out);
  return latest ? std::stoll(latest->filename().string().substr(11)) : 0;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Trainer, FrozenFeatureCacheEqualsNaivePath) {
  const auto data = tiny_data();
  for (const bool standardize : {false, true}) {
    SCOPED_TRACE(standardize ? "standardized features" : "raw features");
    const auto dir = fresh_dir("frozen");
    auto o = tiny_options(dir / "cached");
    o.freeze_encoder = true;
    o.standardize_features = standardize;
    o.dropout = false;  // the naive path would otherwise sample encoder dropout masks
    const auto cached = train_classifier(o, kLabels, data, {});
    o.out_dir = dir / "naive";
    o.feature_cache = false;
    const auto naive = train_classifier(o, kLabels, data, {});
    ASSERT_EQ(cached.state.global_step, 18);  // 2 epochs x ceil(36 / 4)
    ASSERT_EQ(cached.state.log_history.size(), naive.state.log_history.size());
    for (size_t i = 0; i < cached.state.log_history.size(); ++i) {
      EXPECT_NEAR(cached.state.log_history[i]["loss"].get<double>(),
                  naive.state.log_history[i]["loss"].get<double>(), 1e-5)
          << "log entry " << i;
    }
    // The encoder did not move; the head did, the same way on both paths.
    EXPECT_EQ(read_file(dir / "cached" / "model.safetensors").size(),
              read_file(dir / "naive" / "model.safetensors").size());
    fs::remove_all(dir);
  }
}

TEST(Trainer, AfterStepCallbackCutsTheRunLikeAKill) {
  // The library never exits the process: a run is cut by TrainOutput::after_step, leaving what a
  // kill after that step would leave, and a resume completes it to the uninterrupted result.
  const auto data = tiny_data();
  const auto dir = fresh_dir("cut");
  auto o = tiny_options(dir / "full");
  o.save_steps = 2;
  const auto full = train_classifier(o, kLabels, data, {});
  EXPECT_FALSE(full.interrupted);
  o.out_dir = dir / "cut";
  std::vector<int64_t> seen;
  TrainOutput cut_at_5;
  cut_at_5.after_step = [&](const TrainerState& state) {
    seen.push_back(state.global_step);
    return state.global_step != 5;
  };
  const auto cut = train_classifier(o, kLabels, data, {}, cut_at_5);
  EXPECT_TRUE(cut.interrupted);
  EXPECT_EQ(cut.state.global_step, 5);
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(newest_checkpoint_step(dir / "cut"), 4);
  EXPECT_FALSE(fs::exists(dir / "cut" / "model.safetensors"));
  EXPECT_FALSE(fs::exists(dir / "cut" / "trainer_state.json"));
  o.resume = dir / "cut";
  const auto resumed = train_classifier(o, kLabels, data, {});
  EXPECT_TRUE(resumed.resumed);
  EXPECT_FALSE(resumed.interrupted);
  EXPECT_EQ(read_file(dir / "full" / "model.safetensors"),
            read_file(dir / "cut" / "model.safetensors"));
  fs::remove_all(dir);
}

TEST(Trainer, ValidatesEachEpochAndWritesTheOutputDirectory) {
  const auto data = tiny_data();
  const auto dir = fresh_dir("learn");
  auto o = tiny_options(dir);
  o.epochs = 6;
  o.warmup = 0.1;
  o.weight_decay = 0.01;
  o.val_ratio = 0.25;
  auto [train, val] = carve_validation(data, o.val_ratio, o.seed);
  EXPECT_EQ(val.texts.size(), 9u);
  EXPECT_EQ(train.texts.size(), 27u);
  const auto r = train_classifier(o, kLabels, train, val);
  for (const char* f : {"config.json", "model.safetensors", "vocab.txt", "training_args.json",
                        "trainer_state.json", "best_model.pt"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  EXPECT_TRUE(latest_checkpoint(dir).has_value());
  ASSERT_TRUE(r.state.best_metric.has_value());
  int evals = 0;
  for (const auto& entry : r.state.log_history) evals += entry.contains("eval_macro_f1");
  EXPECT_EQ(evals, 6);
  EXPECT_GE(r.state.best_epoch, 1);
  EXPECT_LE(r.state.best_epoch, 6);
  bool event_file = false;
  for (const auto& e : fs::directory_iterator(dir / "runs"))
    event_file |= e.path().filename().string().rfind("events.out.tfevents.", 0) == 0;
  EXPECT_TRUE(event_file);
  EXPECT_TRUE(fs::exists(dir / "runs" / "scalars.csv"));
  fs::remove_all(dir);
}

TEST(Trainer, NonFiniteLossStopsWithClearMessage) {
  const auto dir = fresh_dir("nan");
  auto o = tiny_options(dir);
  o.learning_rate = 1e37;  // the first step throws the weights to ~1e38: logits overflow
  o.max_grad_norm = 0;
  try {
    train_classifier(o, kLabels, tiny_data(), {});
    FAIL() << "expected the run to stop";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("non-finite"), std::string::npos) << msg;
    EXPECT_NE(msg.find("at step 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Last good checkpoint"), std::string::npos) << msg;
  }
  fs::remove_all(dir);
}

TEST(Checkpoint, InterruptedSavesAreNeverPickedUp) {
  const auto dir = fresh_dir("ckpt");
  fs::create_directories(dir / "checkpoint-4");
  std::ofstream(dir / "checkpoint-4" / "trainer_state.json") << "{}";
  fs::create_directories(dir / ".checkpoint-8.tmp-123");  // a save killed before its rename
  std::ofstream(dir / ".checkpoint-8.tmp-123" / "trainer_state.json") << "{}";
  fs::create_directories(dir / "checkpoint-12");  // no trainer_state.json: incomplete
  const auto latest = latest_checkpoint(dir);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->filename(), "checkpoint-4");
  EXPECT_EQ(*latest_checkpoint(dir / "checkpoint-4"), dir / "checkpoint-4");
  EXPECT_FALSE(latest_checkpoint(dir / "missing").has_value());
  fs::remove_all(dir);
}

TEST(Checkpoint, SaveToReadOnlyPlaceIsAnError) {
  // A path below a regular file cannot be created, even by root (read-only and full disks
  // surface through the same error path).
  const auto dir = fresh_dir("ro");
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "x";
  torch::nn::Linear lin(2, 2);
  AdamW opt(trainer_param_groups(*lin, 0.0));
  EXPECT_THROW(save_checkpoint(dir / "file" / "out", *lin, opt, TrainerState{}), IoError);
  fs::remove_all(dir);
}

TEST(Autocast, Bf16LinearRunsInBf16AndRestores) {
  torch::nn::Linear lin(4, 3);
  const auto x = torch::randn({2, 4});
  {
    AutocastBf16 guard(true);
    EXPECT_EQ(lin(x).scalar_type(), torch::kBFloat16);
  }
  EXPECT_EQ(lin(x).scalar_type(), torch::kFloat32);
  EXPECT_EQ(lin->weight.scalar_type(), torch::kFloat32);
}

// tiny_data() as a PhraseBank file (sentence@label, CRLF) in a new directory.
void write_tiny_phrasebank(const fs::path& file) {
  fs::create_directories(file.parent_path());
  std::ofstream data(file, std::ios::binary);
  const auto d = tiny_data();
  for (size_t i = 0; i < d.texts.size(); ++i)
    data << d.texts[i] << '@' << kLabels[static_cast<size_t>(d.labels[i])] << "\r\n";
}

// The shell command running the CLI on one thread with stdout and stderr going to `log`.
std::string cli_command(const std::string& args, const fs::path& log) {
  return std::string(FINSENT_BINARY) + " --threads 1 " + args + " > " + log.string() + " 2>&1";
}

// The JSON document of a `--json` command's log: its line that starts with '{' (stderr's lines,
// such as warnings, are in the same log).
nlohmann::json first_json_line(const std::string& log) {
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] == '{') return nlohmann::json::parse(line);
  return nlohmann::json::parse(log);  // throws, showing what the log holds
}

// Runs the CLI; returns its exit code.
int run_cli(const std::string& args, const fs::path& log) {
  const std::string cmd = cli_command(args, log);
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(TrainCli, KilledRunResumesToTheSameResult) {
  const auto dir = fresh_dir("resume");
  write_tiny_phrasebank(dir / "data.txt");
  const std::string common = "train --data " + (dir / "data.txt").string() + " --model " +
                             (fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert").string() +
                             " --epochs 3 --batch-size 4 --lr 1e-3 --warmup 0.1 --save-steps 3 "
                             "--val-ratio 0.2 --max-length 32 --json";
  ASSERT_EQ(run_cli(common + " --out " + (dir / "full").string(), dir / "full.log"), 0)
      << read_file(dir / "full.log");
  // 24 training sentences -> 6 steps per epoch; die at step 10, mid-epoch 2, after checkpoint-9.
  ASSERT_EQ(run_cli(common + " --out " + (dir / "cut").string() + " --stop-after-steps 10",
                    dir / "cut.log"),
            75)
      << read_file(dir / "cut.log");
  ASSERT_TRUE(fs::exists(dir / "cut" / "checkpoint-9"));
  ASSERT_FALSE(fs::exists(dir / "cut" / "metrics.json"));
  ASSERT_EQ(
      run_cli(common + " --out " + (dir / "cut").string() + " --resume " + (dir / "cut").string(),
              dir / "resumed.log"),
      0)
      << read_file(dir / "resumed.log");
  EXPECT_NE(read_file(dir / "resumed.log").find("resuming from"), std::string::npos);
  auto metrics = [&](const std::string& run) {
    auto j = nlohmann::json::parse(read_file(dir / run / "metrics.json"));
    return std::make_pair(j["accuracy"].get<double>(), j["macro_f1"].get<double>());
  };
  EXPECT_EQ(metrics("full"), metrics("cut"));
  // Bit-identical weights: same data order, dropout masks and optimizer state after the resume.
  EXPECT_EQ(read_file(dir / "full" / "model.safetensors"),
            read_file(dir / "cut" / "model.safetensors"));
  // `finsent eval` on the saved model reproduces the test metrics train wrote, and writes
  // predictions.
  ASSERT_EQ(run_cli("eval --json --data " + (dir / "data.txt").string() + " --model " +
                        (dir / "full").string() + " --predictions " + (dir / "pred.jsonl").string(),
                    dir / "eval.log"),
            0)
      << read_file(dir / "eval.log");
  const auto eval_json = first_json_line(read_file(dir / "eval.log"));
  EXPECT_EQ(eval_json["accuracy"].get<double>(), metrics("full").first);
  std::ifstream pred(dir / "pred.jsonl");
  int lines = 0;
  for (std::string line; std::getline(pred, line); ++lines)
    EXPECT_TRUE(nlohmann::json::parse(line).contains("probabilities"));
  EXPECT_EQ(lines, 6);  // 36 - floor(36 * 0.85) test sentences
  // The same model scored under bf16 autocast: a full report, at most one of 6 sentences flipped.
  ASSERT_EQ(run_cli("eval --json --bf16 --data " + (dir / "data.txt").string() + " --model " +
                        (dir / "full").string(),
                    dir / "eval-bf16.log"),
            0)
      << read_file(dir / "eval-bf16.log");
  const auto bf16_json = first_json_line(read_file(dir / "eval-bf16.log"));
  EXPECT_NEAR(bf16_json["accuracy"].get<double>(), metrics("full").first, 1.0 / 6 + 1e-9);
  // Other flags than the checkpoint's are refused.
  EXPECT_EQ(run_cli(common + " --out " + (dir / "cut").string() + " --resume " +
                        (dir / "cut").string() + " --train-seed 7",
                    dir / "mismatch.log"),
            1);
  EXPECT_NE(read_file(dir / "mismatch.log").find("other training options"), std::string::npos);
  fs::remove_all(dir);
}

// Starts the CLI in the background (output to `log`); returns its pid.
pid_t spawn_cli(const std::string& args, const fs::path& log) {
  const std::string cmd = "exec " + cli_command(args, log);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

TEST(TrainCli, SigkilledRunResumesToTheSameResult) {
  // A real kill -9 at an arbitrary moment (mid-step, mid-checkpoint-write...): the resume picks the
  // newest complete checkpoint and ends bit-identical to an uninterrupted run.
  const auto dir = fresh_dir("sigkill");
  write_tiny_phrasebank(dir / "data.txt");
  const std::string common = "train --data " + (dir / "data.txt").string() + " --model " +
                             (fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert").string() +
                             " --epochs 12 --batch-size 4 --lr 1e-3 --save-steps 1 --max-length 32";
  ASSERT_EQ(run_cli(common + " --out " + (dir / "full").string(), dir / "full.log"), 0)
      << read_file(dir / "full.log");

  const fs::path cut = dir / "cut";
  const pid_t pid = spawn_cli(common + " --out " + cut.string(), dir / "cut.log");
  ASSERT_GT(pid, 0);
  // 30 sentences train -> 8 steps per epoch, 96 in all, a checkpoint after each: kill once a few
  // exist, while the run is far from done.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (newest_checkpoint_step(cut) < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the run ended before the kill: " << read_file(dir / "cut.log");
  ASSERT_FALSE(fs::exists(cut / "metrics.json"));
  const int64_t resumed_from = newest_checkpoint_step(cut);
  ASSERT_GE(resumed_from, 5);
  ASSERT_LT(resumed_from, 96);

  ASSERT_EQ(
      run_cli(common + " --out " + cut.string() + " --resume " + cut.string(), dir / "resumed.log"),
      0)
      << read_file(dir / "resumed.log");
  EXPECT_NE(read_file(dir / "resumed.log").find("resuming from"), std::string::npos);
  EXPECT_EQ(read_file(dir / "full" / "model.safetensors"), read_file(cut / "model.safetensors"))
      << "killed after checkpoint-" << resumed_from;
  EXPECT_EQ(nlohmann::json::parse(read_file(dir / "full" / "metrics.json"))["accuracy"],
            nlohmann::json::parse(read_file(cut / "metrics.json"))["accuracy"]);
  fs::remove_all(dir);
}

TEST(TrainCli, StandardizedFrozenRunResumesAndSavesAnOrdinaryModel) {
  // The statistics are recomputed before a resume restores the head, so the run ends bit-identical;
  // the saved model (standardization folded in) scores what train reported.
  const auto dir = fresh_dir("standardize");
  write_tiny_phrasebank(dir / "data.txt");
  const std::string model = (fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert").string();
  const std::string common = "train --data " + (dir / "data.txt").string() + " --model " + model +
                             " --freeze-encoder --standardize-features --head mean --epochs 2"
                             " --batch-size 4 --lr 1e-3 --save-steps 3 --max-length 32 --json";
  ASSERT_EQ(run_cli(common + " --out " + (dir / "full").string(), dir / "full.log"), 0)
      << read_file(dir / "full.log");
  // 30 training sentences -> 8 steps per epoch; die at step 5, after checkpoint-3.
  ASSERT_EQ(run_cli(common + " --out " + (dir / "cut").string() + " --stop-after-steps 5",
                    dir / "cut.log"),
            75)
      << read_file(dir / "cut.log");
  ASSERT_EQ(
      run_cli(common + " --out " + (dir / "cut").string() + " --resume " + (dir / "cut").string(),
              dir / "resumed.log"),
      0)
      << read_file(dir / "resumed.log");
  EXPECT_EQ(read_file(dir / "full" / "model.safetensors"),
            read_file(dir / "cut" / "model.safetensors"));
  const auto train_json = nlohmann::json::parse(read_file(dir / "full" / "metrics.json"));
  ASSERT_EQ(run_cli("eval --json --data " + (dir / "data.txt").string() + " --model " +
                        (dir / "full").string(),
                    dir / "eval.log"),
            0)
      << read_file(dir / "eval.log");
  const auto eval_json = first_json_line(read_file(dir / "eval.log"));
  EXPECT_EQ(eval_json["accuracy"], train_json["accuracy"]);
  EXPECT_EQ(eval_json["macro_f1"], train_json["macro_f1"]);
  // Standardizing changes what the head learns.
  ASSERT_EQ(run_cli("train --data " + (dir / "data.txt").string() + " --model " + model +
                        " --freeze-encoder --head mean --epochs 2 --batch-size 4 --lr 1e-3"
                        " --max-length 32 --json --out " +
                        (dir / "plain").string(),
                    dir / "plain.log"),
            0)
      << read_file(dir / "plain.log");
  EXPECT_NE(read_file(dir / "full" / "model.safetensors"),
            read_file(dir / "plain" / "model.safetensors"));
  // Meaningless with a trainable encoder: refused with the flag named.
  EXPECT_EQ(run_cli("train --standardize-features --data " + (dir / "data.txt").string() +
                        " --model " + model + " --out " + (dir / "bad").string(),
                    dir / "bad.log"),
            1);
  EXPECT_NE(read_file(dir / "bad.log").find("--standardize-features needs --freeze-encoder"),
            std::string::npos)
      << read_file(dir / "bad.log");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace finsent::train
