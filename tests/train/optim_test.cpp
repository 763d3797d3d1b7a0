// AdamW + linear warmup schedule + gradient clipping against torch/transformers golden values.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/train/adamw.hpp"
#include "finsent/train/class_weights.hpp"
#include "finsent/train/grad_clip.hpp"
#include "finsent/train/lr_schedule.hpp"

namespace finsent::train {
namespace {

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(std::string(FINSENT_FIXTURES_DIR) + "/train/" + name);
  EXPECT_TRUE(in) << name << " missing; regenerate with tools/make_train_fixtures.py";
  return nlohmann::json::parse(in);
}

torch::Tensor from_list(const nlohmann::json& values, std::vector<int64_t> shape) {
  auto v = values.get<std::vector<float>>();
  return torch::tensor(v, torch::kFloat32).reshape(shape);
}

TEST(AdamW, MatchesTorchAdamWWithScheduleAndClipping) {
  const auto g = fixture("adamw_golden.json");
  auto w = from_list(g["init"]["w"], {3, 4}).set_requires_grad(true);
  auto b = from_list(g["init"]["b"], {4}).set_requires_grad(true);
  const double wd = g["weight_decay"];
  AdamW opt({{{w}, wd}, {{b}, 0.0}});
  LinearSchedule sched(g["lr"], g["warmup_steps"], g["total_steps"]);
  int64_t k = 0;
  for (const auto& s : g["steps"]) {
    w.mutable_grad() = from_list(s["grad_w"], {3, 4});
    b.mutable_grad() = from_list(s["grad_b"], {4});
    const double lr = sched.lr_at(k);
    EXPECT_NEAR(lr, s["lr"].get<double>(), 1e-12) << "step " << k;
    // The trainer's way: the norm and coefficient first, the scaling inside the step.
    const GradNorm norm = grad_norm({w, b}, 1.0);
    EXPECT_NEAR(norm.total, s["grad_norm"].get<double>(), 1e-5 * s["grad_norm"].get<double>());
    opt.step(lr, norm.clip_coef);
    EXPECT_TRUE(torch::allclose(w, from_list(s["w"], {3, 4}), 1e-5, 1e-6)) << "step " << k;
    EXPECT_TRUE(torch::allclose(b, from_list(s["b"], {4}), 1e-5, 1e-6)) << "step " << k;
    ++k;
  }
}

TEST(AdamW, StateRoundTripContinuesIdentically) {
  torch::manual_seed(3);
  auto make = [] { return torch::randn({5}).set_requires_grad(true); };
  auto a = make();
  auto c = a.detach().clone().set_requires_grad(true);
  AdamW opt_a({{{a}, 0.1}});
  AdamW opt_c({{{c}, 0.1}});
  const auto grad = torch::randn({5});
  a.mutable_grad() = grad.clone();
  opt_a.step(0.01);
  c.mutable_grad() = grad.clone();
  opt_c.step(0.01);
  // A fresh optimizer loaded with opt_a's state must continue like opt_c.
  AdamW restored({{{a}, 0.1}});
  restored.load_state(opt_a.state());
  a.mutable_grad() = grad * 2;
  c.mutable_grad() = grad * 2;
  restored.step(0.01);
  opt_c.step(0.01);
  EXPECT_TRUE(torch::equal(a, c));
  EXPECT_THROW(AdamW({{{torch::zeros({2})}, 0.0}}).load_state(opt_a.state()), WeightsError);
}

// torch.optim.AdamW's single-tensor step (torch/optim/adamw.py), op for op, after clipping's
// in-place g.mul_(coef).
void reference_adamw_step(torch::Tensor& p, torch::Tensor g, torch::Tensor& m, torch::Tensor& v,
                          int64_t step, double lr, double wd, float coef) {
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  g = g.clone().mul_(coef);
  p.mul_(1.0 - lr * wd);
  m.lerp_(g, 1.0 - b1);
  v.mul_(b2).addcmul_(g, g, 1.0 - b2);
  const double bc1 = 1.0 - std::pow(b1, static_cast<double>(step));
  const double bc2 = 1.0 - std::pow(b2, static_cast<double>(step));
  const auto denom = (v.sqrt() / std::sqrt(bc2)).add_(eps);
  p.addcdiv_(m, denom, -lr / bc1);
}

TEST(AdamW, FusedStepIsTheReferenceOpsBitForBit) {
  torch::manual_seed(9);
  // Odd sizes: several parallel chunks, and SIMD remainders at the end of each.
  for (const int64_t n : {int64_t{1}, int64_t{37}, int64_t{100003}}) {
    SCOPED_TRACE(n);
    auto p = torch::randn({n}).set_requires_grad(true);
    torch::Tensor ref_p = p.detach().clone(), ref_m = torch::zeros({n}), ref_v = torch::zeros({n});
    AdamW opt({{{p}, 0.01}});
    for (int64_t step = 1; step <= 4; ++step) {
      const torch::Tensor g = torch::randn({n}) * (step == 3 ? 1e-4 : 1.0);
      const float coef = step == 2 ? 0.37f : 1.0f;
      p.mutable_grad() = g.clone();
      const uint32_t version = p._version();
      opt.step(2e-3, coef);
      EXPECT_GT(p._version(), version) << "an in-place update must move the version counter";
      reference_adamw_step(ref_p, g, ref_m, ref_v, step, 2e-3, 0.01, coef);
      EXPECT_TRUE(torch::equal(p.detach(), ref_p)) << "step " << step;
      EXPECT_TRUE(torch::equal(opt.state().at("g0.p0.exp_avg"), ref_m)) << "step " << step;
      EXPECT_TRUE(torch::equal(opt.state().at("g0.p0.exp_avg_sq"), ref_v)) << "step " << step;
    }
  }
  // Parameters the fused pass does not take (float64, or not contiguous) run the ops themselves.
  for (const bool transposed : {false, true}) {
    SCOPED_TRACE(transposed ? "transposed float" : "double");
    torch::Tensor start =
        transposed ? torch::randn({5, 3}).t() : torch::randn({3, 5}, torch::kDouble);
    auto p = start.clone(torch::MemoryFormat::Preserve).set_requires_grad(true);
    ASSERT_EQ(p.is_contiguous(), !transposed);
    torch::Tensor ref_p = start.clone(), ref_m = torch::zeros_like(start),
                  ref_v = torch::zeros_like(start);
    AdamW opt({{{p}, 0.01}});
    const torch::Tensor g = torch::randn({3, 5}, start.options());
    p.mutable_grad() = g.clone();
    opt.step(2e-3, 0.5f);
    reference_adamw_step(ref_p, g, ref_m, ref_v, 1, 2e-3, 0.01, 0.5f);
    EXPECT_TRUE(torch::equal(p.detach(), ref_p));
  }
}

TEST(AdamW, SparseRowGradientsStepExactlyLikeTheirDenseForm) {
  torch::manual_seed(4);
  const torch::Tensor start = torch::randn({50, 6});
  auto sparse_p = start.clone().set_requires_grad(true);
  auto dense_p = start.clone().set_requires_grad(true);
  AdamW sparse_opt({{{sparse_p}, 0.01}});
  AdamW dense_opt({{{dense_p}, 0.01}});
  for (int step = 0; step < 3; ++step) {
    // Uncoalesced on purpose: row 7 twice. Rows outside the batch still decay.
    const torch::Tensor rows = torch::tensor({7, 2, 7, 31}, torch::kLong).view({1, 4});
    const torch::Tensor values = torch::randn({4, 6});
    const torch::Tensor grad = torch::sparse_coo_tensor(rows, values, {50, 6});
    sparse_p.mutable_grad() = grad;
    dense_p.mutable_grad() = grad.coalesce().to_dense();
    const GradNorm sparse_norm = grad_norm({sparse_p}, 1.0);
    const GradNorm dense_norm = grad_norm({dense_p}, 1.0);
    EXPECT_TRUE(sparse_p.grad().is_coalesced());
    EXPECT_NEAR(sparse_norm.total, dense_norm.total, 1e-6 * dense_norm.total);
    sparse_opt.step(1e-2, dense_norm.clip_coef);
    dense_opt.step(1e-2, dense_norm.clip_coef);
    EXPECT_TRUE(torch::equal(sparse_p.detach(), dense_p.detach())) << "step " << step;
    EXPECT_TRUE(torch::equal(sparse_opt.state().at("g0.p0.exp_avg_sq"),
                             dense_opt.state().at("g0.p0.exp_avg_sq")));
  }
  EXPECT_FALSE(torch::equal(sparse_p.detach()[0], start[0]));  // untouched rows decayed too
}

TEST(AdamW, TrainerGroupsExemptBiasesAndLayerNorm) {
  struct Net : torch::nn::Module {
    Net() {
      register_module("dense", torch::nn::Linear(4, 4));
      register_module("LayerNorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({4})));
      auto frozen = register_module("frozen", torch::nn::Linear(4, 2));
      for (auto& p : frozen->parameters()) p.set_requires_grad(false);
    }
  } net;
  const auto groups = trainer_param_groups(net, 0.01);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].params.size(), 1u);  // dense.weight
  EXPECT_DOUBLE_EQ(groups[0].weight_decay, 0.01);
  EXPECT_EQ(groups[1].params.size(), 3u);  // dense.bias, LayerNorm.weight, LayerNorm.bias
  EXPECT_DOUBLE_EQ(groups[1].weight_decay, 0.0);
}

TEST(LinearSchedule, WarmupRatioAndDecayToZero) {
  EXPECT_EQ(warmup_steps_from(0.1, 552), 56);  // ceil(55.2)
  EXPECT_EQ(warmup_steps_from(10, 552), 10);
  EXPECT_EQ(warmup_steps_from(0, 552), 0);
  EXPECT_THROW(warmup_steps_from(-1, 5), InputError);
  LinearSchedule s(1.0, 0, 4);
  EXPECT_DOUBLE_EQ(s.lr_at(0), 1.0);
  EXPECT_DOUBLE_EQ(s.lr_at(3), 0.25);
  EXPECT_DOUBLE_EQ(s.lr_at(4), 0.0);
  EXPECT_DOUBLE_EQ(s.lr_at(9), 0.0);
}

TEST(ClipGradNorm, NonFiniteNormLeavesGradientsAlone) {
  auto p = torch::zeros({2}).set_requires_grad(true);
  p.mutable_grad() = torch::tensor({std::numeric_limits<float>::infinity(), 1.0f});
  EXPECT_FALSE(std::isfinite(clip_grad_norm({p}, 1.0)));
  EXPECT_EQ(p.grad()[1].item<float>(), 1.0f);
}

TEST(ClassWeights, BalancedMatchesSklearn) {
  const auto g = fixture("class_weights.json");
  const auto classes = g["classes"].get<std::vector<std::string>>();
  std::vector<int> ids;
  for (const auto& label : g["labels"].get<std::vector<std::string>>())
    ids.push_back(
        static_cast<int>(std::find(classes.begin(), classes.end(), label) - classes.begin()));
  const auto w = balanced_class_weights(ids, static_cast<int>(classes.size()));
  const auto expected = g["weights"].get<std::vector<double>>();
  ASSERT_EQ(w.size(), expected.size());
  for (size_t i = 0; i < w.size(); ++i) EXPECT_NEAR(w[i], expected[i], 1e-12);
  EXPECT_THROW(balanced_class_weights({0, 0, 2}, 3), InputError);
}

}  // namespace
}  // namespace finsent::train
