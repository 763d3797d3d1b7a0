// Training runs the encoder blocks on the real tokens only (TokenLayout); with dropout off it must
// compute what the padded grid computes, values and gradients, and leave the padding at zero.
#include <gtest/gtest.h>

#include "finsent/models/encoder.hpp"
#include "finsent/models/token_layout.hpp"
#include "model_test_util.hpp"

namespace finsent::models {
namespace {

using testing::max_abs_diff;

ModelConfig small_config(const std::string& model_type) {
  ModelConfig c;
  c.model_type = model_type;
  c.vocab_size = 50;
  c.hidden_size = 32;
  c.num_hidden_layers = 2;
  c.num_attention_heads = 4;
  c.intermediate_size = 64;
  c.max_position_embeddings = 16;
  c.type_vocab_size = model_type == "bert" ? 2 : 0;
  c.hidden_dropout_prob = 0.0;
  c.attention_probs_dropout_prob = 0.0;
  return c;
}

TEST(TokenLayout, PacksTheRealTokensInOrderAndUnpacksWithZeroPadding) {
  const torch::Tensor mask = torch::tensor({1, 1, 0, 1, 0, 1}, torch::kLong).view({2, 3});
  const TokenLayout layout(mask, 2, torch::kFloat, /*pack=*/true);
  ASSERT_TRUE(layout.packed());
  EXPECT_EQ(layout.attention_bias().sizes(), (std::vector<int64_t>{4, 1, 3}));
  const torch::Tensor grid = torch::arange(12, torch::kFloat).view({2, 3, 2});
  const torch::Tensor tokens = layout.pack(grid);
  EXPECT_TRUE(
      torch::equal(tokens, torch::tensor({0, 1, 2, 3, 6, 7, 10, 11}, torch::kFloat).view({4, 2})));
  const torch::Tensor back = layout.unpack(tokens);
  EXPECT_TRUE(torch::equal(back, grid * mask.unsqueeze(-1)));

  // Nothing to skip, or not asked to: the hidden states stay on the grid.
  EXPECT_FALSE(TokenLayout(torch::ones({2, 3}, torch::kLong), 2, torch::kFloat, true).packed());
  EXPECT_FALSE(TokenLayout(mask, 2, torch::kFloat, false).packed());
  EXPECT_TRUE(TokenLayout(mask, 2, torch::kFloat, false).pack(grid).is_same(grid));
}

class PackedTraining : public ::testing::TestWithParam<std::string> {};

TEST_P(PackedTraining, EqualsTheGridAtRealTokensWithGradients) {
  torch::manual_seed(11);
  Encoder encoder = make_encoder(small_config(GetParam()));
  // Padding at the end, in the middle, and a batch row without any.
  const torch::Tensor ids = torch::randint(1, 50, {3, 7}, torch::kLong);
  const torch::Tensor mask =
      torch::tensor({1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0}, torch::kLong)
          .view({3, 7});
  const torch::Tensor weight = torch::randn({3, 7, 32});  // a loss touching every real token

  auto run = [&](bool training) {
    encoder->train(training);
    encoder->zero_grad();
    const torch::Tensor hidden = encoder->forward(ids, mask, {});
    (hidden * weight * mask.unsqueeze(-1)).sum().backward();
    std::vector<torch::Tensor> grads;
    for (const auto& p : encoder->parameters())  // BERT's pooler gets none here
      grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return std::pair{hidden.detach(), grads};
  };
  const auto [grid, grid_grads] = run(false);
  const auto [packed, packed_grads] = run(true);

  const torch::Tensor real = mask.unsqueeze(-1).to(torch::kFloat);
  EXPECT_LE(max_abs_diff(packed * real, grid * real), 1e-5);
  EXPECT_EQ(packed.mul(1 - real).abs().max().item<float>(), 0.0f);
  ASSERT_EQ(packed_grads.size(), grid_grads.size());
  for (size_t i = 0; i < grid_grads.size(); ++i) {
    SCOPED_TRACE(encoder->named_parameters().keys()[i]);
    // Sums over differently shaped GEMMs: equal to float rounding, relative to the gradient's size.
    const double scale = std::max(1.0, grid_grads[i].abs().max().item<double>());
    EXPECT_LE(max_abs_diff(packed_grads[i], grid_grads[i]), 2e-6 * scale);
  }
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, PackedTraining, ::testing::Values("bert", "distilbert"));

}  // namespace
}  // namespace finsent::models
