// Trainer's AdamW: parameter groups, per-parameter state, checkpoints; ops::adamw_step updates.
#include "finsent/train/adamw.hpp"

#include <cstdio>
#include <set>
#include <vector>

#include "finsent/core/error.hpp"
#include "finsent/ops/adamw.hpp"

namespace finsent::train {
namespace {

bool is_layer_norm(const torch::nn::Module& m) {
  return m.as<torch::nn::LayerNorm>() != nullptr;
}

// "g<group>.p<index>." (snprintf: GCC 12 warns falsely on chained string concatenation here).
std::string slot_key(size_t gi, size_t pi) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "g%zu.p%zu.", gi, pi);
  return buf;
}

}  // namespace

std::vector<ParamGroup> trainer_param_groups(const torch::nn::Module& module, double weight_decay) {
  // Parameters owned directly by a LayerNorm module are exempt, whatever their names.
  // (include_self=false: the top module need not live in a shared_ptr.)
  std::set<const void*> exempt;
  auto exempt_direct = [&](const torch::nn::Module& m) {
    if (!is_layer_norm(m)) return;
    for (const auto& p : m.parameters(/*recurse=*/false)) exempt.insert(p.unsafeGetTensorImpl());
  };
  exempt_direct(module);
  for (const auto& child : module.modules(/*include_self=*/false)) exempt_direct(*child);
  std::vector<ParamGroup> groups(2);
  groups[0].weight_decay = weight_decay;
  groups[1].weight_decay = 0.0;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    const auto& p = item.value();
    if (!p.requires_grad()) continue;
    const std::string& name = item.key();
    const bool no_decay =
        exempt.count(p.unsafeGetTensorImpl()) > 0 || name.find("bias") != std::string::npos;
    groups[no_decay ? 1 : 0].params.push_back(p);
  }
  return groups;
}

AdamW::AdamW(std::vector<ParamGroup> groups, AdamWOptions options)
    : groups_(std::move(groups)), options_(options) {
  for (const auto& g : groups_) {
    std::vector<Slot> slots;
    for (const auto& p : g.params) {
      slots.push_back({torch::zeros_like(p, torch::MemoryFormat::Preserve),
                       torch::zeros_like(p, torch::MemoryFormat::Preserve), 0});
    }
    slots_.push_back(std::move(slots));
  }
}

void AdamW::step(double lr, float grad_scale) {
  torch::NoGradGuard no_grad;
  for (size_t gi = 0; gi < groups_.size(); ++gi) {
    for (size_t pi = 0; pi < groups_[gi].params.size(); ++pi) {
      auto& p = groups_[gi].params[pi];
      const auto& grad = p.grad();
      if (!grad.defined()) continue;
      Slot& s = slots_[gi][pi];
      s.step += 1;
      ops::adamw_step(p, grad, s.exp_avg, s.exp_avg_sq,
                      {lr, groups_[gi].weight_decay, options_.beta1, options_.beta2, options_.eps,
                       s.step, grad_scale});
    }
  }
}

void AdamW::zero_grad() {
  for (auto& g : groups_)
    for (auto& p : g.params)
      if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
}

std::vector<torch::Tensor> AdamW::parameters() const {
  std::vector<torch::Tensor> all;
  for (const auto& g : groups_) all.insert(all.end(), g.params.begin(), g.params.end());
  return all;
}

std::map<std::string, torch::Tensor> AdamW::state() const {
  std::map<std::string, torch::Tensor> out;
  for (size_t gi = 0; gi < slots_.size(); ++gi) {
    for (size_t pi = 0; pi < slots_[gi].size(); ++pi) {
      const std::string key = slot_key(gi, pi);
      out[key + "exp_avg"] = slots_[gi][pi].exp_avg;
      out[key + "exp_avg_sq"] = slots_[gi][pi].exp_avg_sq;
      out[key + "step"] = torch::tensor(slots_[gi][pi].step, torch::kInt64);
    }
  }
  return out;
}

void AdamW::load_state(const std::map<std::string, torch::Tensor>& state) {
  auto get = [&](const std::string& key) -> const torch::Tensor& {
    auto it = state.find(key);
    if (it == state.end()) throw WeightsError("optimizer state: missing " + key);
    return it->second;
  };
  torch::NoGradGuard no_grad;
  for (size_t gi = 0; gi < slots_.size(); ++gi) {
    for (size_t pi = 0; pi < slots_[gi].size(); ++pi) {
      const std::string key = slot_key(gi, pi);
      Slot& s = slots_[gi][pi];
      for (auto [name, dst] : {std::pair{"exp_avg", &s.exp_avg}, {"exp_avg_sq", &s.exp_avg_sq}}) {
        const auto& src = get(key + name);
        if (src.sizes() != dst->sizes())
          throw WeightsError("optimizer state: " + key + name + " has the wrong shape");
        dst->copy_(src);
      }
      s.step = get(key + "step").item<int64_t>();
    }
  }
}

}  // namespace finsent::train
