// A torch::Device travels with the model, its batches, TokenLayout and training: each check runs
// on the CPU and on CUDA when LibTorch sees a device (skipped visibly otherwise).
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <filesystem>

#include "finsent/core/error.hpp"
#include "finsent/models/token_layout.hpp"
#include "finsent/pipeline/device.hpp"
#include "finsent/pipeline/evaluate.hpp"
#include "finsent/train/batch.hpp"
#include "finsent/train/checkpoint.hpp"
#include "finsent/train/trainer.hpp"

namespace finsent::pipeline {
namespace {
namespace fs = std::filesystem;

const fs::path kTinyBert = fs::path(FINSENT_FIXTURES_DIR) / "models" / "tiny-bert";

class OnDevice : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() != "cpu" && !cuda_available())
      GTEST_SKIP() << "no CUDA device visible to LibTorch: the " << GetParam()
                   << " variant does not run";
    device_ = resolve_device(GetParam());
  }
  torch::Device device_{torch::kCPU};
};

void expect_on(const torch::nn::Module& module, torch::Device device) {
  for (const auto& p : module.named_parameters()) EXPECT_EQ(p.value().device(), device) << p.key();
  for (const auto& b : module.named_buffers()) EXPECT_EQ(b.value().device(), device) << b.key();
}

TEST_P(OnDevice, ALoadedModelLivesOnItsDeviceAndGivesTheCpuLogits) {
  auto on_device = load_classifier(kTinyBert, device_);
  EXPECT_EQ(on_device.device(), device_);
  expect_on(*on_device.model(), device_);
  auto on_cpu = load_classifier(kTinyBert, torch::kCPU);
  const std::vector<models::TextInput> inputs = {{"operating profit rose", std::nullopt},
                                                 {"net sales fell in the quarter", std::nullopt}};
  const torch::Tensor logits = on_device.logits(inputs);
  EXPECT_TRUE(logits.device().is_cpu());  // results always come back to the CPU
  EXPECT_TRUE(torch::allclose(logits, on_cpu.logits(inputs), 1e-4, 1e-5));
}

TEST_P(OnDevice, CollatePutsTheBatchOnTheDevice) {
  const std::vector<std::vector<int64_t>> ids = {{2, 5, 3}, {2, 3}};
  const train::Batch b = train::collate(ids, {0, 1}, 0, device_);
  EXPECT_EQ(b.input_ids.device(), device_);
  EXPECT_EQ(b.attention_mask.device(), device_);
  const train::Batch cpu = train::collate(ids, {0, 1}, 0);
  EXPECT_TRUE(torch::equal(b.input_ids.cpu(), cpu.input_ids));
  EXPECT_TRUE(torch::equal(b.attention_mask.cpu(), cpu.attention_mask));
}

TEST_P(OnDevice, TokenLayoutBuffersFollowTheMask) {
  const torch::Tensor mask =
      torch::tensor({1, 1, 0, 1, 0, 0}, torch::kLong).view({2, 3}).to(device_);
  const models::TokenLayout layout(mask, 2, torch::kFloat, /*pack=*/true);
  ASSERT_TRUE(layout.packed());
  EXPECT_EQ(layout.attention_bias().device(), device_);
  const torch::Tensor grid = torch::arange(12, torch::kFloat).view({2, 3, 2}).to(device_);
  const torch::Tensor tokens = layout.pack(grid);
  EXPECT_EQ(tokens.device(), device_);
  EXPECT_EQ(layout.unpack(tokens).device(), device_);
}

train::LabeledTexts tiny_texts() {
  train::LabeledTexts d;
  const std::pair<const char*, int> rows[] = {{"net sales rose", 2},   {"net sales fell", 0},
                                              {"the bank is open", 1}, {"profit increased", 2},
                                              {"profit decreased", 0}, {"the market was", 1}};
  for (int repeat = 0; repeat < 2; ++repeat)
    for (const auto& [text, label] : rows) {
      d.texts.push_back(text);
      d.labels.push_back(label);
    }
  return d;
}

train::TrainOptions tiny_run(const fs::path& out, torch::Device device, bool frozen) {
  train::TrainOptions o;
  o.model_dir = kTinyBert;
  o.out_dir = out;
  o.epochs = 1;
  o.batch_size = 4;
  o.learning_rate = 1e-3;
  o.max_length = 16;
  o.freeze_encoder = frozen;
  o.standardize_features = frozen;
  o.val_ratio = 0;
  o.save_steps = 1;
  o.device = device;
  return o;
}

// Training on the device (frozen features cached there, or the whole model) writes checkpoints
// whose tensors are CPU tensors, and a run checkpointed on the device resumes on the CPU.
TEST_P(OnDevice, TrainingRunsOnTheDeviceAndCheckpointsAreDeviceIndependent) {
  for (const bool frozen : {true, false}) {
    const fs::path out =
        fs::temp_directory_path() / ("finsent_pipeline_device_" + GetParam() +
                                     (frozen ? "_frozen" : "") + "_" + std::to_string(::getpid()));
    fs::remove_all(out);
    const std::vector<std::string> labels = {"negative", "neutral", "positive"};
    train::TrainOutput stop_after_two;
    stop_after_two.after_step = [](const train::TrainerState& s) { return s.global_step != 2; };
    const auto cut = train::train_classifier(tiny_run(out, device_, frozen), labels, tiny_texts(),
                                             {}, stop_after_two);
    ASSERT_TRUE(cut.interrupted);
    const auto checkpoint = train::latest_checkpoint(out);
    ASSERT_TRUE(checkpoint.has_value());
    for (const char* file : {"model.pt", "optimizer.pt"}) {
      torch::serialize::InputArchive archive;
      archive.load_from((*checkpoint / file).string());  // no device given: as saved
      for (const auto& key : archive.keys()) {
        torch::Tensor t;
        ASSERT_TRUE(archive.try_read(key, t)) << key;
        EXPECT_TRUE(t.device().is_cpu()) << file << ": " << key;
      }
    }
    auto resumed_options = tiny_run(out, torch::kCPU, frozen);
    resumed_options.resume = out;
    const auto resumed =
        train::train_classifier(resumed_options, labels, tiny_texts(), {}, train::TrainOutput{});
    EXPECT_TRUE(resumed.resumed);
    EXPECT_FALSE(resumed.interrupted);
    EXPECT_EQ(resumed.state.global_step, 3);
    EXPECT_EQ(load_classifier(out, torch::kCPU).labels(), labels);
    fs::remove_all(out);
  }
}

INSTANTIATE_TEST_SUITE_P(Devices, OnDevice, ::testing::Values("cpu", "cuda"),
                         [](const auto& info) { return info.param; });

TEST(DeviceOptions, Bf16AutocastIsForTheCpuAndCudaDevices) {
  train::TrainOptions o;
  o.bf16 = true;
  o.device = torch::Device(torch::kCUDA, 0);
  EXPECT_NO_THROW(o.validate());
  o.device = torch::kCPU;
  EXPECT_NO_THROW(o.validate());
  o.device = torch::Device(torch::kMeta);
  try {
    o.validate();
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "--bf16 is autocast on CPU or CUDA (this run's device is meta)");
  }
}

}  // namespace
}  // namespace finsent::pipeline
