// The fused attention softmax + key mask + dropout against LibTorch's ops, values and gradients.
#include <gtest/gtest.h>

#include "cpu/dropout_cpu.hpp"
#include "finsent/ops/attention.hpp"
#include "ops_test_util.hpp"

namespace finsent::ops {
namespace {

using testing::max_abs_diff;

// scores [2, 3, 5, 7]; the bias masks the last two keys of batch row 1, as attention_bias does.
struct Inputs {
  torch::Tensor scores = torch::randn({2, 3, 5, 7}) * 4;
  torch::Tensor bias;
  Inputs() {
    bias = torch::zeros({2, 1, 1, 7});
    bias.index_put_({1, 0, 0, torch::indexing::Slice(5, 7)}, std::numeric_limits<float>::lowest());
  }
};

TEST(SoftmaxDropout, WithoutDropoutIsTheMaskedSoftmax) {
  torch::manual_seed(1);
  Inputs in;
  for (const bool training : {false, true}) {
    const double p = training ? 0.0 : 0.3;  // eval ignores p; training with p = 0 drops nothing
    const torch::Tensor w = ops::softmax_dropout(in.scores, in.bias, p, training);
    EXPECT_LE(max_abs_diff(w, torch::softmax(in.scores + in.bias, -1)), 1e-6);
    // Padded keys get exactly nothing; every row sums to 1.
    EXPECT_EQ(w.index({1, torch::indexing::Ellipsis, torch::indexing::Slice(5, 7)})
                  .abs()
                  .max()
                  .item<float>(),
              0.0f);
    EXPECT_LE(max_abs_diff(w.sum(-1), torch::ones({2, 3, 5})), 1e-6);
  }
  // Large spreads: exp underflows to 0 instead of producing garbage.
  const torch::Tensor wide = torch::tensor({0.0f, -50.0f, -90.0f, -200.0f}).view({1, 1, 1, 4});
  EXPECT_LE(max_abs_diff(ops::softmax_dropout(wide, torch::zeros({1, 1, 1, 4}), 0.0, false),
                         torch::softmax(wide, -1)),
            1e-7);
}

TEST(SoftmaxDropout, DropsWithTheHashedMaskAndBackpropagatesThroughIt) {
  torch::manual_seed(2);
  Inputs in;
  const double p = 0.25;
  torch::manual_seed(7);
  const torch::Tensor scores = in.scores.clone().set_requires_grad(true);
  const torch::Tensor w = ops::softmax_dropout(scores, in.bias, p, /*training=*/true);
  torch::manual_seed(7);
  const uint64_t seed = cpu::next_dropout_seed();  // the draw softmax_dropout made
  torch::Tensor keep = torch::empty({scores.numel()});
  for (int64_t i = 0; i < keep.numel(); ++i) keep[i] = cpu::dropout_keeps(seed, i, p) ? 1.0f : 0.0f;
  keep = keep.view(scores.sizes());
  EXPECT_GT(keep.sum().item<float>(), 0.5f * static_cast<float>(keep.numel()));
  EXPECT_LT(keep.sum().item<float>(), static_cast<float>(keep.numel()));

  const torch::Tensor ref_scores = in.scores.clone().set_requires_grad(true);
  const torch::Tensor ref = torch::softmax(ref_scores + in.bias, -1) * keep / (1 - p);
  EXPECT_LE(max_abs_diff(w, ref), 1e-6);

  const torch::Tensor upstream = torch::randn(w.sizes());
  (w * upstream).sum().backward();
  (ref * upstream).sum().backward();
  EXPECT_LE(max_abs_diff(scores.grad(), ref_scores.grad()), 1e-5);
}

}  // namespace
}  // namespace finsent::ops
