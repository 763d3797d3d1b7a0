// save_pretrained on a full disk: the model directory keeps its previous files, byte for byte.
#include <gtest/gtest.h>

#include <map>

#include "common/file_size_limit.hpp"
#include "finsent/models/sequence_classifier.hpp"
#include "finsent/text/wordpiece_tokenizer.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::fixture;
using testing::TempDir;

// Every entry of `dir` (hidden temporary files included) with its bytes.
std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(e.path(), std::ios::binary);
    out[e.path().filename().string()] =
        std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

TEST(SavePretrained, FullDiskLeavesThePreviousDirectoryIntact) {
  at::set_num_threads(1);  // the save runs in a forked child: no thread pool to inherit
  SequenceClassifier model = load_sequence_classifier(fixture("tiny-bert"));
  const auto tokenizer = text::WordPieceTokenizer::load(fixture("tiny-bert"));
  TempDir dir("save-full");
  save_pretrained(*model, tokenizer, dir.path());
  const auto before = snapshot(dir.path());
  ASSERT_EQ(before.size(), 5u);  // config, weights, vocab, tokenizer_config, special_tokens_map
  {
    torch::NoGradGuard no_grad;
    model->named_parameters()["classifier.bias"].add_(1.0f);  // a different model to save
  }
  // model.safetensors (~94 KB) cannot be written; the small files could.
  const auto outcome = finsent::testing::run_with_file_size_limit(
      32 * 1024, [&] { save_pretrained(*model, tokenizer, dir.path()); });
  EXPECT_TRUE(outcome.threw);
  EXPECT_FALSE(outcome.crashed);
  EXPECT_NE(outcome.what.find("model.safetensors"), std::string::npos) << outcome.what;
  EXPECT_NE(outcome.what.find("File too large"), std::string::npos) << outcome.what;
  EXPECT_EQ(snapshot(dir.path()), before)
      << "no file may change (nor a temporary file stay) when the save fails";
  // The same save without the limit replaces the weights.
  save_pretrained(*model, tokenizer, dir.path());
  EXPECT_NE(snapshot(dir.path()).at("model.safetensors"), before.at("model.safetensors"));
}

}  // namespace
}  // namespace finsent::models
