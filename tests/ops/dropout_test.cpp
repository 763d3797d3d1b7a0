// The hashed dropout: its mask, its rate, its gradient, its reproducibility under torch's seed.
#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include "cpu/dropout_cpu.hpp"
#include "finsent/ops/dropout.hpp"
#include "ops_test_util.hpp"

namespace finsent::ops {
namespace {

using testing::max_abs_diff;

// The seed ops::dropout draws next after torch::manual_seed(s).
uint64_t seed_after_manual_seed(uint64_t s) {
  torch::manual_seed(s);
  auto* gen = at::check_generator<at::CPUGeneratorImpl>(at::detail::getDefaultCPUGenerator());
  return gen->random64();
}

torch::Tensor expected_mask(uint64_t seed, int64_t n, double p) {
  torch::Tensor keep = torch::empty({n});
  for (int64_t i = 0; i < n; ++i) keep[i] = cpu::dropout_keeps(seed, i, p) ? 1.0f : 0.0f;
  return keep;
}

TEST(Dropout, ZeroesTheHashedMaskAndScalesTheRest) {
  const double p = 0.1;
  const torch::Tensor x = torch::randn({7, 33});
  const uint64_t seed = seed_after_manual_seed(11);
  torch::manual_seed(11);
  const torch::Tensor y = ops::dropout(x, p, true);
  const torch::Tensor keep = expected_mask(seed, x.numel(), p).view_as(x);
  EXPECT_LE(max_abs_diff(y, x * keep / (1 - p)), 1e-6);
  // Reproducible from the seed; the next call draws a new mask.
  torch::manual_seed(11);
  EXPECT_TRUE(torch::equal(ops::dropout(x, p, true), y));
  EXPECT_FALSE(torch::equal(ops::dropout(x, p, true), y));
}

TEST(Dropout, DropsAtTheRateAskedWithIndependentNeighbours) {
  torch::manual_seed(3);
  const int64_t n = 1 << 20;
  for (const double p : {0.1, 0.5}) {
    SCOPED_TRACE(p);
    const torch::Tensor y = ops::dropout(torch::ones({n}), p, true);
    const torch::Tensor dropped = (y == 0).to(torch::kDouble);
    // Binomial standard deviation is below 5e-4 here: 6 of them.
    EXPECT_NEAR(dropped.mean().item<double>(), p, 3e-3);
    const torch::Tensor both = dropped.slice(0, 0, n - 1) * dropped.slice(0, 1, n);
    EXPECT_NEAR(both.mean().item<double>(), p * p, 3e-3);
    const torch::Tensor kept = y.masked_select(y != 0);
    EXPECT_NEAR(kept.min().item<double>(), 1 / (1 - p), 1e-6);
    EXPECT_NEAR(kept.max().item<double>(), 1 / (1 - p), 1e-6);
  }
}

TEST(Dropout, GradientGoesThroughTheSameMask) {
  const double p = 0.2;
  const torch::Tensor x = torch::randn({4, 5, 6}, torch::requires_grad());
  const torch::Tensor g = torch::randn({4, 5, 6});
  const uint64_t seed = seed_after_manual_seed(5);
  torch::manual_seed(5);
  ops::dropout(x, p, true).backward(g);
  const torch::Tensor keep = expected_mask(seed, x.numel(), p).view_as(x);
  EXPECT_LE(max_abs_diff(x.grad(), g * keep / (1 - p)), 1e-6);
}

TEST(Dropout, OtherDtypesAndLayoutsFollowTheSameMask) {
  const double p = 0.3;
  const torch::Tensor base = torch::randn({6, 10});
  const torch::Tensor x = base.t();  // not contiguous: masked in row-major order of its shape
  const uint64_t seed = seed_after_manual_seed(9);
  const torch::Tensor keep = expected_mask(seed, x.numel(), p).view({10, 6});
  for (const auto dtype : {torch::kFloat, torch::kDouble, torch::kBFloat16}) {
    SCOPED_TRACE(c10::toString(dtype));
    torch::manual_seed(9);
    const torch::Tensor y = ops::dropout(x.to(dtype), p, true);
    EXPECT_EQ(y.scalar_type(), dtype);
    const double tol = dtype == torch::kBFloat16 ? 5e-2 : 1e-6;
    EXPECT_LE(max_abs_diff(y.to(torch::kFloat), x * keep / (1 - p)), tol);
  }
}

TEST(Dropout, IsTheIdentityInEvaluationOrAtZero) {
  const torch::Tensor x = torch::randn({3, 4});
  EXPECT_TRUE(ops::dropout(x, 0.1, false).is_same(x));
  EXPECT_TRUE(ops::dropout(x, 0.0, true).is_same(x));
  EXPECT_TRUE(ops::dropout(torch::empty({0, 4}), 0.1, true).numel() == 0);
}

}  // namespace
}  // namespace finsent::ops
