// Weight initialization as BertPreTrainedModel / DistilBertPreTrainedModel._init_weights does it.
#include "init.hpp"

namespace finsent::models::detail {

void init_weights(torch::nn::Module& module, double std) {
  torch::NoGradGuard no_grad;
  auto visit = [std](torch::nn::Module& m) {
    if (auto* linear = m.as<torch::nn::Linear>()) {
      linear->weight.normal_(0.0, std);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = m.as<torch::nn::Embedding>()) {
      embedding->weight.normal_(0.0, std);
      if (auto pad = embedding->options.padding_idx()) embedding->weight[*pad].zero_();
    } else if (auto* norm = m.as<torch::nn::LayerNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  };
  visit(module);
  for (const auto& child : module.modules(/*include_self=*/false)) visit(*child);
}

}  // namespace finsent::models::detail
