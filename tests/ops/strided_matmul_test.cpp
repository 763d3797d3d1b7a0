// The strided oneDNN matmul against torch::matmul, and attention built on it (values and
// gradients) against LibTorch's own ops.
#include <gtest/gtest.h>

#include <cmath>

#include "cpu/strided_matmul.hpp"
#include "finsent/ops/attention.hpp"
#include "ops_test_util.hpp"

namespace finsent::ops {
namespace {

using testing::max_abs_diff;

// [b, heads, s, d] views of a [b, s, heads * d] projection, as attention reads them.
torch::Tensor by_head(const torch::Tensor& t, int64_t heads) {
  return t.view({t.size(0), t.size(1), heads, t.size(2) / heads}).transpose(1, 2);
}

TEST(StridedMatmul, ViewsOfEveryShapeEqualTorchMatmul) {
  torch::manual_seed(5);
  // One primitive serves all of these: shapes change from call to call.
  for (const auto& [b, s] : {std::pair<int64_t, int64_t>{2, 7}, {1, 1}, {3, 19}, {2, 7}, {4, 64}}) {
    SCOPED_TRACE(std::to_string(b) + " x " + std::to_string(s));
    const int64_t heads = 4, d = 8;
    const torch::Tensor q = torch::randn({b, s, heads * d}), k = torch::randn({b, s, heads * d});
    torch::Tensor scores = torch::empty({b, heads, s, s});
    const torch::Tensor kt = by_head(k, heads).transpose(2, 3);  // innermost stride not 1
    cpu::strided_matmul(by_head(q, heads), kt, scores, 0.25f);
    EXPECT_LE(max_abs_diff(scores, torch::matmul(by_head(q, heads), kt) * 0.25), 1e-5);

    // The output may be a strided view too: the context lands in [b, s, hidden] order.
    torch::Tensor context = torch::full({b, s, heads * d}, 7.0f);
    torch::Tensor context_by_head = by_head(context, heads);
    cpu::strided_matmul(torch::softmax(scores, -1), by_head(k, heads), context_by_head);
    const torch::Tensor expected = torch::matmul(torch::softmax(scores, -1), by_head(k, heads));
    EXPECT_LE(max_abs_diff(context, expected.transpose(1, 2).reshape({b, s, heads * d})), 1e-5);
  }
  // Rank 3 and an empty inner dimension.
  const torch::Tensor a = torch::randn({3, 5, 6}), m = torch::randn({3, 6, 2});
  torch::Tensor c = torch::empty({3, 5, 2});
  cpu::strided_matmul(a, m, c);
  EXPECT_LE(max_abs_diff(c, torch::bmm(a, m)), 1e-5);
  torch::Tensor zero = torch::full({3, 5, 2}, 1.0f);
  cpu::strided_matmul(torch::empty({3, 5, 0}), torch::empty({3, 0, 2}), zero);
  EXPECT_EQ(zero.abs().max().item<float>(), 0.0f);
}

// softmax(q k^T / sqrt(d) + bias) v with LibTorch's own ops, as the reference.
torch::Tensor reference_attention(const torch::Tensor& q, const torch::Tensor& k,
                                  const torch::Tensor& v, const torch::Tensor& bias,
                                  int64_t heads) {
  const int64_t b = q.size(0), s = q.size(1), hidden = q.size(2);
  const double scale = 1.0 / std::sqrt(static_cast<double>(hidden / heads));
  const torch::Tensor scores =
      torch::matmul(by_head(q, heads), by_head(k, heads).transpose(2, 3)) * scale +
      bias.view({b, heads, 1, s});
  return torch::matmul(torch::softmax(scores, -1), by_head(v, heads))
      .transpose(1, 2)
      .reshape({b, s, hidden});
}

TEST(StridedMatmul, AttentionValuesAndGradientsEqualLibTorchOps) {
  torch::manual_seed(6);
  const int64_t b = 3, s = 11, heads = 4, hidden = 32;
  torch::Tensor mask = torch::ones({b, s}, torch::kLong);
  mask.index_put_({1, torch::indexing::Slice(6, torch::indexing::None)}, 0);
  mask.index_put_({2, torch::indexing::Slice(2, torch::indexing::None)}, 0);
  const torch::Tensor bias = ops::attention_bias(mask, heads, torch::kFloat);
  const torch::Tensor g = torch::randn({b, s, hidden});
  auto inputs = [&] {
    torch::manual_seed(7);
    return std::vector<torch::Tensor>{torch::randn({b, s, hidden}, torch::requires_grad()),
                                      torch::randn({b, s, hidden}, torch::requires_grad()),
                                      torch::randn({b, s, hidden}, torch::requires_grad())};
  };
  const auto ours = inputs();
  const torch::Tensor out = ops::scaled_dot_product_attention(ours[0], ours[1], ours[2], bias,
                                                              heads, 0.1, /*training=*/false);
  out.backward(g);
  const auto ref = inputs();
  const torch::Tensor expected = reference_attention(ref[0], ref[1], ref[2], bias, heads);
  expected.backward(g);
  EXPECT_LE(max_abs_diff(out.detach(), expected.detach()), 1e-5);
  EXPECT_TRUE(out.is_contiguous());
  for (size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE("gradient of " + std::string("qkv").substr(i, 1));
    EXPECT_LE(max_abs_diff(ours[i].grad(), ref[i].grad()), 1e-5);
  }
  // Without autograd (inference), the same values.
  torch::NoGradGuard no_grad;
  EXPECT_LE(max_abs_diff(ops::scaled_dot_product_attention(ours[0], ours[1], ours[2], bias, heads,
                                                           0.1, false),
                         expected),
            1e-5);
}

}  // namespace
}  // namespace finsent::ops
