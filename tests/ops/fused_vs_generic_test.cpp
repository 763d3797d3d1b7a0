// Every op's dispatched form (the fused CPU kernel where it applies) against its generic LibTorch
// form, values and gradients, on every device present; and the dispatch test itself.
#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "cpu/parallel.hpp"
#include "dispatch.hpp"
#include "finsent/ops/activation.hpp"
#include "finsent/ops/adamw.hpp"
#include "finsent/ops/attention.hpp"
#include "finsent/ops/dropout.hpp"
#include "finsent/ops/layer_norm.hpp"
#include "finsent/ops/linear.hpp"
#include "finsent/ops/token_packing.hpp"
#include "generic.hpp"
#include "ops_test_util.hpp"

namespace finsent::ops {
namespace {

using testing::max_abs_diff;

class FusedVsGeneric : public testing::OnEachDevice {
 protected:
  torch::TensorOptions f32() const { return torch::TensorOptions(device()).dtype(torch::kFloat); }
  // A leaf tensor of `shape` on the device that records its gradient.
  torch::Tensor leaf(torch::IntArrayRef shape) const {
    return torch::randn(shape, f32()).set_requires_grad(true);
  }
};

TEST_P(FusedVsGeneric, Linear) {
  torch::manual_seed(1);
  for (const std::vector<int64_t>& shape : {std::vector<int64_t>{3, 7, 24}, {1, 24}}) {
    SCOPED_TRACE(torch::IntArrayRef(shape));
    std::vector<int64_t> out_shape = shape;
    out_shape.back() = 40;
    const torch::Tensor x0 = torch::randn(shape, f32()), w0 = torch::randn({40, 24}, f32()),
                        b0 = torch::randn({40}, f32()), g = torch::randn(out_shape, f32());
    auto run = [&](auto&& op) {
      torch::Tensor x = x0.clone().set_requires_grad(true), w = w0.clone().set_requires_grad(true),
                    b = b0.clone().set_requires_grad(true);
      const torch::Tensor y = op(x, w, b);
      y.backward(g);
      return std::vector<torch::Tensor>{y.detach(), x.grad(), w.grad(), b.grad()};
    };
    const auto ours = run([](auto&&... a) { return ops::linear(a...); });
    const auto ref = run([](auto&&... a) { return generic::linear(a...); });
    for (size_t i = 0; i < ref.size(); ++i) EXPECT_LE(max_abs_diff(ours[i], ref[i]), 1e-4) << i;
  }
}

TEST_P(FusedVsGeneric, DropoutKeepsOrScalesEachElementAtTheRateAsked) {
  torch::manual_seed(2);
  const double p = 0.3;
  const torch::Tensor x = torch::rand({1 << 18}, f32()) + 1;  // no zeros of its own
  for (const torch::Tensor& y : {ops::dropout(x, p, true), generic::dropout(x, p)}) {
    const torch::Tensor dropped = y == 0;
    EXPECT_NEAR(dropped.to(torch::kDouble).mean().item<double>(), p, 5e-3);
    const torch::Tensor kept = torch::where(dropped, x / (1 - p), y);
    EXPECT_LE(max_abs_diff(kept, x / (1 - p)), 1e-6);
  }
  EXPECT_TRUE(ops::dropout(x, p, false).is_same(x));
}

// scores [2, 3, 5, 7]; the bias masks the last two keys of batch row 1.
std::pair<torch::Tensor, torch::Tensor> masked_scores(torch::TensorOptions options) {
  torch::Tensor bias = torch::zeros({2, 1, 1, 7}, options);
  bias.index_put_({1, 0, 0, torch::indexing::Slice(5, 7)}, std::numeric_limits<float>::lowest());
  return {torch::randn({2, 3, 5, 7}, options) * 4, bias};
}

TEST_P(FusedVsGeneric, SoftmaxDropoutDrawsTheSameMask) {
  torch::manual_seed(3);
  const auto [scores, mask_bias] = masked_scores(f32());
  const torch::Tensor upstream = torch::randn(scores.sizes(), f32());
  // A key mask, and a bias per query and key (MPNet's relative positions, [1, heads, q, k], which
  // takes a gradient) plus the key mask.
  const torch::Tensor position0 = torch::randn({1, 3, 5, 7}, f32()) * 3;
  for (const bool per_query : {false, true}) {
    for (const bool training : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "per_query " << per_query << " training " << training);
      auto run = [&](auto&& op) {
        const torch::Tensor s = scores.clone().set_requires_grad(true);
        const torch::Tensor position = position0.clone().set_requires_grad(true);
        torch::manual_seed(4);
        const torch::Tensor w = op(s, per_query ? position + mask_bias : mask_bias, 0.25, training);
        (w * upstream).sum().backward();
        return std::vector<torch::Tensor>{w.detach(), s.grad(),
                                          per_query ? position.grad() : torch::zeros({1})};
      };
      const auto ours = run([](auto&&... a) { return ops::softmax_dropout(a...); });
      const auto ref = run([](auto&&... a) { return generic::softmax_dropout(a...); });
      EXPECT_LE(max_abs_diff(ours[0], ref[0]), 1e-6);
      EXPECT_LE(max_abs_diff(ours[1], ref[1]), 1e-5);
      EXPECT_LE(max_abs_diff(ours[2], ref[2]), 1e-5);
    }
  }
}

TEST_P(FusedVsGeneric, ScaledDotProductAttentionValuesAndGradients) {
  torch::manual_seed(5);
  const int64_t b = 3, s = 11, heads = 4, hidden = 32;
  torch::Tensor mask = torch::ones({b, s}, torch::kLong);
  mask.index_put_({1, torch::indexing::Slice(6, torch::indexing::None)}, 0);
  const torch::Tensor mask_bias = ops::attention_bias(mask.to(device()), heads, torch::kFloat);
  const torch::Tensor q0 = torch::randn({b, s, hidden}, f32()),
                      k0 = torch::randn({b, s, hidden}, f32()),
                      v0 = torch::randn({b, s, hidden}, f32());
  const torch::Tensor position0 = torch::randn({1, heads, s, s}, f32()) * 3;
  const torch::Tensor g = torch::randn({b, s, hidden}, f32());
  // The key mask [b * heads, 1, s], and MPNet's bias per query: relative positions [heads, s, s]
  // (with a gradient) broadcast over the batch plus the key mask, [b * heads, s, s].
  for (const bool per_query : {false, true}) {
    for (const bool training : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "per_query " << per_query << " training " << training);
      auto run = [&](auto&& op) {
        std::vector<torch::Tensor> leaves{
            q0.clone().set_requires_grad(true), k0.clone().set_requires_grad(true),
            v0.clone().set_requires_grad(true), position0.clone().set_requires_grad(true)};
        const torch::Tensor bias =
            per_query ? (leaves[3].expand({b, heads, s, s}).reshape({b * heads, s, s}) + mask_bias)
                      : mask_bias;
        torch::manual_seed(6);
        const torch::Tensor out = op(leaves[0], leaves[1], leaves[2], bias, heads, 0.1, training);
        out.backward(g);
        std::vector<torch::Tensor> results{out.detach()};
        for (const torch::Tensor& leaf : leaves)
          results.push_back(leaf.grad().defined() ? leaf.grad() : torch::zeros({1}));
        return results;
      };
      const auto ours = run([](auto&&... a) { return ops::scaled_dot_product_attention(a...); });
      const auto ref = run([](auto&&... a) { return generic::scaled_dot_product_attention(a...); });
      EXPECT_TRUE(ours[0].is_contiguous());
      for (size_t i = 0; i < ref.size(); ++i) EXPECT_LE(max_abs_diff(ours[i], ref[i]), 1e-5) << i;
    }
  }
}

// MPNet's bias per query and key (relative positions plus the key mask) is added per query row,
// against attention written out with matmul.
TEST_P(FusedVsGeneric, ScaledDotProductAttentionTakesAPerQueryBias) {
  torch::manual_seed(7);
  const int64_t b = 2, s = 5, heads = 2, hidden = 8, head_dim = hidden / heads;
  torch::Tensor mask = torch::ones({b, s}, torch::kLong);
  mask.index_put_({1, torch::indexing::Slice(3, torch::indexing::None)}, 0);
  const torch::Tensor position = torch::randn({1, heads, s, s}, f32()) * 3;
  const torch::Tensor bias = (position.expand({b, heads, s, s}).reshape({b * heads, s, s}) +
                              ops::attention_bias(mask.to(device()), heads, torch::kFloat))
                                 .contiguous();
  const torch::Tensor q = torch::randn({b, s, hidden}, f32()),
                      k = torch::randn({b, s, hidden}, f32()),
                      v = torch::randn({b, s, hidden}, f32());
  auto split = [&](const torch::Tensor& t) {  // [b, heads, s, head_dim]
    return t.view({b, s, heads, head_dim}).transpose(1, 2);
  };
  torch::Tensor scores = torch::matmul(split(q), split(k).transpose(-1, -2)) /
                         std::sqrt(static_cast<double>(head_dim));
  scores = scores + position + (1 - mask.to(device())).to(torch::kFloat).view({b, 1, 1, s}) * -1e30;
  const torch::Tensor ref =
      torch::matmul(torch::softmax(scores, -1), split(v)).transpose(1, 2).reshape({b, s, hidden});
  const torch::Tensor out =
      ops::scaled_dot_product_attention(q.requires_grad_(), k, v, bias, heads, 0.0, false);
  EXPECT_LE(max_abs_diff(out, ref), 1e-5);
  // On the CPU the fused kernel takes it (its last autograd node is the context matmul).
  if (device().is_cpu()) {
    EXPECT_NE(out.grad_fn()->name().find("HeadContext"), std::string::npos);
  }
  EXPECT_LE(
      max_abs_diff(generic::scaled_dot_product_attention(q, k, v, bias, heads, 0.0, false), ref),
      1e-5);
}

TEST_P(FusedVsGeneric, TokenPackingIsExactBothWays) {
  torch::manual_seed(7);
  // Grid rows 0, 1, 3, 5 are tokens; 2 and 4 padding.
  const auto index = torch::tensor({0, 1, 3, 5}, torch::kLong).to(device());
  const auto grid_rows = torch::tensor({0, 1, -1, 2, -1, 3}, torch::kLong).to(device());
  const torch::Tensor grid = leaf({6, 5}), g_packed = torch::randn({4, 5}, f32());
  const torch::Tensor ours = ops::pack_tokens(grid, index, grid_rows);
  ours.backward(g_packed);
  const torch::Tensor ours_grad = grid.grad().clone();
  grid.mutable_grad() = torch::Tensor();
  const torch::Tensor ref = generic::pack_tokens(grid, index);
  ref.backward(g_packed);
  EXPECT_TRUE(torch::equal(ours, ref));
  EXPECT_TRUE(torch::equal(ours_grad, grid.grad()));

  const torch::Tensor tokens = leaf({4, 5}), g_grid = torch::randn({6, 5}, f32());
  const torch::Tensor back = ops::unpack_tokens(tokens, index, grid_rows);
  back.backward(g_grid);
  const torch::Tensor back_grad = tokens.grad().clone();
  tokens.mutable_grad() = torch::Tensor();
  const torch::Tensor ref_back = generic::unpack_tokens(tokens, index, 6);
  ref_back.backward(g_grid);
  EXPECT_TRUE(torch::equal(back, ref_back));
  EXPECT_TRUE(torch::equal(back_grad, tokens.grad()));
}

TEST_P(FusedVsGeneric, LayerNormAndActivations) {
  torch::manual_seed(8);
  torch::nn::LayerNorm norm(torch::nn::LayerNormOptions({16}).eps(1e-12));
  norm->to(device());
  const torch::Tensor x = torch::randn({3, 4, 16}, f32());
  EXPECT_TRUE(torch::equal(ops::layer_norm(norm, x), generic::layer_norm(norm, x)));
  // bf16 activations (autocast) on an fp32 LayerNorm: normalized in fp32, as autocast does.
  const torch::Tensor half = x.to(torch::kBFloat16);
  const torch::Tensor normed = ops::layer_norm(norm, half);
  EXPECT_EQ(normed.scalar_type(), torch::kFloat);
  EXPECT_TRUE(torch::equal(normed, generic::layer_norm(norm, half.to(torch::kFloat))));
  for (const char* name : {"gelu", "gelu_new", "relu"}) {
    SCOPED_TRACE(name);
    const Activation act = ops::activation_from_name(name);
    EXPECT_TRUE(torch::equal(ops::activate(x, act), generic::activate(x, act)));
  }
  EXPECT_LE(max_abs_diff(ops::activate(x, Activation::Gelu),
                         0.5 * x * (1 + torch::erf(x / std::sqrt(2.0)))),
            1e-6);
}

// Row-sparse gradients pack the rows of v that are not all zero for ATen's sqrt (parallel over
// 256-row ranges: 7000 rows span several). Row 2's entries include an exact zero
// and a value whose square underflows (v stays 0 while m does not).
TEST_P(FusedVsGeneric, AdamWStepIsTheGenericStepBitForBit) {
  torch::manual_seed(9);
  for (const int64_t rows_n : {50, 7000})
    for (const bool sparse : {false, true}) {
      SCOPED_TRACE((sparse ? "row-sparse gradient, " : "dense gradient, ") +
                   std::to_string(rows_n) + " rows");
      const torch::Tensor start = torch::randn({rows_n, 6}, f32());
      torch::Tensor p = start.clone(), m = torch::zeros_like(p), v = torch::zeros_like(p);
      torch::Tensor rp = start.clone(), rm = torch::zeros_like(p), rv = torch::zeros_like(p);
      for (int64_t step = 1; step <= 3; ++step) {
        torch::Tensor grad = torch::randn({rows_n, 6}, f32());
        if (sparse) {
          const torch::Tensor rows = torch::tensor({int64_t{7}, int64_t{2}, int64_t{7}, int64_t{31},
                                                    rows_n - 1, rows_n / 2},
                                                   torch::kLong)
                                         .view({1, 6});
          torch::Tensor values = torch::randn({6, 6});
          values[1][0] = 0.0f;
          values[1][1] = 1e-30f;
          grad = torch::sparse_coo_tensor(rows.to(device()), values.to(device()), {rows_n, 6});
        }
        const AdamWHyper hyper{2e-3, 0.01, 0.9, 0.999, 1e-8, step, step == 2 ? 0.37f : 1.0f};
        const uint32_t version = p._version();
        ops::adamw_step(p, grad, m, v, hyper);
        EXPECT_GT(p._version(), version) << "an in-place update must move the version counter";
        generic::adamw_step(rp, grad, rm, rv, hyper);
        EXPECT_TRUE(torch::equal(p, rp)) << "step " << step;
        EXPECT_TRUE(torch::equal(m, rm)) << "step " << step;
        EXPECT_TRUE(torch::equal(v, rv)) << "step " << step;
      }
      if (sparse) {
        EXPECT_EQ(v[2][1].item<float>(), 0.0f) << "the underflowing square";
        EXPECT_NE(m[2][1].item<float>(), 0.0f);
      }
    }
}

INSTANTIATE_TEST_SUITE_P(Devices, FusedVsGeneric, ::testing::Values(torch::kCPU, torch::kCUDA),
                         testing::device_name);

// The key-mask bias in each floating dtype: 0 for tokens, that dtype's lowest finite value for
// padding (float's lowest is -inf in bfloat16, and 0 * -inf would put NaN on the tokens).
TEST(AttentionBias, IsFiniteInEveryFloatingDtype) {
  const torch::Tensor mask = torch::tensor({1, 1, 0}, torch::kLong).view({1, 3});
  for (const auto dtype : {torch::kFloat, torch::kDouble, torch::kBFloat16, torch::kHalf}) {
    SCOPED_TRACE(c10::toString(dtype));
    const torch::Tensor bias = ops::attention_bias(mask, 2, dtype);
    EXPECT_EQ(bias.scalar_type(), dtype);
    EXPECT_EQ(bias.sizes(), (std::vector<int64_t>{2, 1, 3}));
    EXPECT_TRUE(torch::isfinite(bias).all().item<bool>());
    EXPECT_EQ(bias[1][0][0].item<double>(), 0.0);
    EXPECT_LT(bias[1][0][2].item<double>(), -6e4);  // half's lowest is -65504
  }
}

TEST(KernelDispatch, TakesTheFusedKernelOnlyWhereItApplies) {
  using detail::cpu_kernel_applies;
  using detail::KernelNeeds;
  const torch::Tensor f = torch::randn({4, 6}), d = f.to(torch::kDouble), h = f.to(torch::kHalf),
                      t = f.t(), sparse = f.to_sparse(), undefined;
  const KernelNeeds floating{.dtypes = KernelNeeds::Dtypes::Floating};
  EXPECT_TRUE(cpu_kernel_applies({f, f}));
  EXPECT_FALSE(cpu_kernel_applies({f, d}));
  EXPECT_TRUE(cpu_kernel_applies({d}, floating));
  EXPECT_FALSE(cpu_kernel_applies({h}, floating));
  EXPECT_FALSE(cpu_kernel_applies({t}));
  EXPECT_TRUE(cpu_kernel_applies({t}, {.contiguous = false}));
  EXPECT_FALSE(cpu_kernel_applies({sparse}));
  EXPECT_FALSE(cpu_kernel_applies({undefined}));
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCPU, true);
  const bool under_autocast = cpu_kernel_applies({f});
  const bool elementwise = cpu_kernel_applies({f}, {.outside_autocast = false});
  at::autocast::set_autocast_enabled(at::kCPU, false);
  at::autocast::clear_cache();
  EXPECT_FALSE(under_autocast);
  EXPECT_TRUE(elementwise);
}

// The kernels' at::parallel_for (this file is compiled with the ops kernels' OpenMP flags) hands
// its ranges to every intra-op thread; compiled without OpenMP it runs them all on the calling
// thread.
TEST(KernelThreads, ParallelForRunsOnEveryIntraOpThread) {
  const int threads_before = at::get_num_threads();
  at::set_num_threads(2);
  std::mutex mutex;
  std::set<std::thread::id> seen;
  at::parallel_for(0, 64, 1, [&](int64_t, int64_t) {
    std::lock_guard<std::mutex> lock(mutex);
    seen.insert(std::this_thread::get_id());
  });
  at::set_num_threads(threads_before);
  EXPECT_EQ(seen.size(), 2u);
}

}  // namespace
}  // namespace finsent::ops
