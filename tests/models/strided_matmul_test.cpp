// The strided oneDNN matmul against torch::matmul, and attention's inference path against its
// autograd path.
#include <gtest/gtest.h>

#include "attention.hpp"
#include "model_test_util.hpp"
#include "strided_matmul.hpp"

namespace finsent::models {
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
    detail::strided_matmul(by_head(q, heads), kt, scores, 0.25f);
    EXPECT_LE(max_abs_diff(scores, torch::matmul(by_head(q, heads), kt) * 0.25), 1e-5);

    // The output may be a strided view too: the context lands in [b, s, hidden] order.
    torch::Tensor context = torch::full({b, s, heads * d}, 7.0f);
    torch::Tensor context_by_head = by_head(context, heads);
    detail::strided_matmul(torch::softmax(scores, -1), by_head(k, heads), context_by_head);
    const torch::Tensor expected = torch::matmul(torch::softmax(scores, -1), by_head(k, heads));
    EXPECT_LE(max_abs_diff(context, expected.transpose(1, 2).reshape({b, s, heads * d})), 1e-5);
  }
  // Rank 3 and an empty inner dimension.
  const torch::Tensor a = torch::randn({3, 5, 6}), m = torch::randn({3, 6, 2});
  torch::Tensor c = torch::empty({3, 5, 2});
  detail::strided_matmul(a, m, c);
  EXPECT_LE(max_abs_diff(c, torch::bmm(a, m)), 1e-5);
  torch::Tensor zero = torch::full({3, 5, 2}, 1.0f);
  detail::strided_matmul(torch::empty({3, 5, 0}), torch::empty({3, 0, 2}), zero);
  EXPECT_EQ(zero.abs().max().item<float>(), 0.0f);
}

TEST(StridedMatmul, AttentionInferencePathEqualsTheAutogradPath) {
  torch::manual_seed(6);
  const int64_t b = 3, s = 11, heads = 4, hidden = 32;
  const torch::Tensor q = torch::randn({b, s, hidden}), k = torch::randn({b, s, hidden}),
                      v = torch::randn({b, s, hidden});
  torch::Tensor mask = torch::ones({b, s}, torch::kLong);
  mask.index_put_({1, torch::indexing::Slice(6, torch::indexing::None)}, 0);
  mask.index_put_({2, torch::indexing::Slice(2, torch::indexing::None)}, 0);
  const torch::Tensor bias = detail::attention_bias(mask, heads, torch::kFloat);

  torch::Tensor fast;
  {
    torch::NoGradGuard no_grad;
    fast = detail::multi_head_attention(q, k, v, bias, heads, 0.1, false);
  }
  // Inputs that need gradients take LibTorch's bmm path.
  const torch::Tensor slow =
      detail::multi_head_attention(q.clone().requires_grad_(), k, v, bias, heads, 0.1, false);
  ASSERT_TRUE(slow.requires_grad());
  EXPECT_LE(max_abs_diff(fast, slow.detach()), 1e-5);
  EXPECT_TRUE(fast.is_contiguous());
}

}  // namespace
}  // namespace finsent::models
