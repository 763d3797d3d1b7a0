// The oneDNN linear layer against torch::linear: values and all three gradients, one row and many.
#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>

#include <thread>

#include "cpu/packed_linear.hpp"
#include "finsent/ops/linear.hpp"
#include "ops_test_util.hpp"

namespace finsent::ops {
namespace {

using testing::max_abs_diff;

TEST(OneDnnLinear, ForwardAndGradientsEqualTorchLinear) {
  torch::manual_seed(3);
  for (const std::vector<int64_t>& shape :
       {std::vector<int64_t>{1, 1, 24}, std::vector<int64_t>{3, 7, 24},
        std::vector<int64_t>{5, 24}}) {
    SCOPED_TRACE(torch::IntArrayRef(shape));
    torch::nn::Linear layer(24, 40);
    const torch::Tensor bias_before = layer->bias.detach().clone();
    const torch::Tensor x = torch::randn(shape, torch::requires_grad());
    const torch::Tensor g = torch::randn_like(torch::linear(x, layer->weight, layer->bias));

    torch::Tensor ours = ops::linear(layer, x);
    EXPECT_LE(max_abs_diff(ours, torch::linear(x, layer->weight, layer->bias)), 1e-5);
    // The output is a fresh buffer: accumulating the GEMM never touches the bias.
    EXPECT_TRUE(torch::equal(layer->bias, bias_before));

    ours.backward(g);
    const torch::Tensor gx = x.grad().clone(), gw = layer->weight.grad().clone(),
                        gb = layer->bias.grad().clone();
    x.mutable_grad().zero_();
    layer->zero_grad();
    torch::linear(x, layer->weight, layer->bias).backward(g);
    EXPECT_LE(max_abs_diff(gx, x.grad()), 1e-5);
    EXPECT_LE(max_abs_diff(gw, layer->weight.grad()), 1e-4);
    EXPECT_LE(max_abs_diff(gb, layer->bias.grad()), 1e-4);
  }
}

TEST(OneDnnLinear, FrozenWeightsGetNoGradientAndInferenceBuildsNoGraph) {
  torch::nn::Linear layer(8, 4);
  for (auto& p : layer->parameters()) p.set_requires_grad(false);
  const torch::Tensor x = torch::randn({2, 8}, torch::requires_grad());
  ops::linear(layer, x).sum().backward();
  EXPECT_TRUE(x.grad().defined());
  EXPECT_FALSE(layer->weight.grad().defined());
  c10::InferenceMode guard;
  EXPECT_FALSE(ops::linear(layer, torch::randn({2, 8})).requires_grad());
}

TEST(OneDnnLinear, Bf16AutocastAndEmptyBatchesStillWork) {
  torch::nn::Linear layer(8, 4);
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCPU, true);
  const auto dtype = ops::linear(layer, torch::randn({2, 8})).scalar_type();
  at::autocast::set_autocast_enabled(at::kCPU, false);
  at::autocast::clear_cache();
  EXPECT_EQ(dtype, torch::kBFloat16);
  EXPECT_EQ(ops::linear(layer, torch::randn({0, 8})).sizes(), (std::vector<int64_t>{0, 4}));
}

TEST(PackedLinear, EqualsTorchLinearForEveryRowCount) {
  torch::manual_seed(4);
  torch::nn::Linear layer(48, 40);
  torch::NoGradGuard no_grad;
  for (int64_t rows : {1, 3, 32, 257, 0}) {
    SCOPED_TRACE(rows);
    const torch::Tensor x = torch::randn({rows, 48});
    const torch::Tensor ours = cpu::packed_linear(x, layer->weight, layer->bias);
    ASSERT_EQ(ours.sizes(), (std::vector<int64_t>{rows, 40}));
    if (rows == 0) continue;
    EXPECT_LE(max_abs_diff(ours, torch::linear(x, layer->weight, layer->bias)), 1e-5);
    EXPECT_LE(
        max_abs_diff(cpu::packed_linear(x, layer->weight, {}), torch::linear(x, layer->weight)),
        1e-5);
  }
}

TEST(PackedLinear, RepacksWhenTheWeightsChangeInPlace) {
  // An optimizer step or a load between two inference passes must be seen by the second one.
  torch::nn::Linear layer(16, 8);
  const torch::Tensor x = torch::randn({5, 16});
  torch::NoGradGuard no_grad;
  const torch::Tensor before = cpu::packed_linear(x, layer->weight, layer->bias);
  layer->weight.add_(0.5);
  const torch::Tensor after = cpu::packed_linear(x, layer->weight, layer->bias);
  EXPECT_GT(max_abs_diff(after, before), 0.1);
  EXPECT_LE(max_abs_diff(after, torch::linear(x, layer->weight, layer->bias)), 1e-5);
  // A new layer (perhaps at a freed one's address) gets its own weights.
  torch::nn::Linear other(16, 8);
  EXPECT_LE(max_abs_diff(cpu::packed_linear(x, other->weight, other->bias),
                         torch::linear(x, other->weight, other->bias)),
            1e-5);
}

TEST(PackedLinear, ConcurrentCallersGetTheirOwnResults) {
  torch::nn::Linear layer(32, 24);
  std::vector<torch::Tensor> inputs, outputs(4);
  for (int i = 0; i < 4; ++i) inputs.push_back(torch::randn({7 + i * 13, 32}));
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      torch::NoGradGuard no_grad;
      for (int r = 0; r < 20; ++r)
        outputs[i] = cpu::packed_linear(inputs[i], layer->weight, layer->bias);
    });
  for (auto& t : threads) t.join();
  torch::NoGradGuard no_grad;
  for (int i = 0; i < 4; ++i)
    EXPECT_LE(max_abs_diff(outputs[i], torch::linear(inputs[i], layer->weight, layer->bias)), 1e-5);
}

}  // namespace
}  // namespace finsent::ops
