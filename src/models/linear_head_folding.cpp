// Folding the linear head into BertForSequenceClassification / DistilBertForSequenceClassification
// weights.
#include "linear_head_folding.hpp"

#include <cmath>

#include "finsent/core/error.hpp"
#include "init.hpp"

namespace finsent::models::detail {
namespace {

// Per-dimension bound c with |x_i| < c_i for every output x of the encoder's last LayerNorm.
torch::Tensor cls_bound(const SequenceClassifierImpl& model,
                        const std::map<std::string, torch::Tensor>& state) {
  const ModelConfig& c = model.config();
  const std::string last = std::to_string(c.num_hidden_layers - 1);
  const std::string norm = c.model_type == "distilbert"
                               ? "distilbert.transformer.layer." + last + ".output_layer_norm"
                               : "bert.encoder.layer." + last + ".output.LayerNorm";
  torch::Tensor gamma = state.at(norm + ".weight").to(torch::kDouble);
  torch::Tensor beta = state.at(norm + ".bias").to(torch::kDouble);
  return gamma.abs() * std::sqrt(static_cast<double>(c.hidden_size)) + beta.abs() + 1.0;
}

// The largest power of two eps with eps * bound <= 2^-12: then tanh(eps x) / (eps x) - 1 < 2e-8.
double pooler_scale(double bound) {
  return std::ldexp(1.0, static_cast<int>(std::floor(std::log2(std::ldexp(1.0, -12) / bound))));
}

}  // namespace

std::string marked_head(const ModelConfig& config) {
  if (!config.extra.is_object() || !config.extra.contains(kFinsentHeadKey)) return "";
  const auto& mark = config.extra[kFinsentHeadKey];
  if (!mark.is_string() || (mark != "linear" && mark != "mean"))
    throw ConfigError(std::string("config.json: ") + kFinsentHeadKey +
                      " must be \"linear\" or \"mean\"");
  return mark.get<std::string>();
}

void fold_linear_head(const SequenceClassifierImpl& model,
                      std::map<std::string, torch::Tensor>& state) {
  const ModelConfig& c = model.config();
  torch::Tensor w = state.at("classifier.weight").to(torch::kDouble);
  torch::Tensor b = state.at("classifier.bias").to(torch::kDouble);
  torch::Tensor bound = cls_bound(model, state);
  const auto f32 = [](const torch::Tensor& t) { return t.to(torch::kFloat).contiguous(); };
  if (c.model_type == "distilbert") {
    state["pre_classifier.weight"] = torch::eye(c.hidden_size, torch::kFloat);
    state["pre_classifier.bias"] = f32(bound);
    state["classifier.bias"] = f32(b - torch::mv(w, bound));
  } else {
    const double eps = pooler_scale(bound.max().item<double>());
    state["bert.pooler.dense.weight"] = f32(torch::eye(c.hidden_size, torch::kDouble) * eps);
    state["bert.pooler.dense.bias"] = torch::zeros({c.hidden_size}, torch::kFloat);
    state["classifier.weight"] = f32(w / eps);
  }
}

Head unfold_linear_head(SequenceClassifierImpl& folded, double dropout) {
  const ModelConfig& c = folded.config();
  for (const auto& name : folded.load_report().newly_initialized)
    if (name.rfind("classifier.", 0) == 0 || name.rfind("pre_classifier.", 0) == 0 ||
        name.find(".pooler.") != std::string::npos)
      throw WeightsError("config.json marks a folded linear head but the checkpoint lacks " + name);
  torch::NoGradGuard no_grad;
  auto params = folded.named_parameters();
  torch::Tensor w = params["classifier.weight"].to(torch::kDouble);
  torch::Tensor b = params["classifier.bias"].to(torch::kDouble);
  torch::Tensor eye = torch::eye(c.hidden_size, torch::kDouble);
  torch::Tensor new_w, new_b;
  if (c.model_type == "distilbert") {
    torch::Tensor p = params["pre_classifier.weight"].to(torch::kDouble);
    torch::Tensor shift = params["pre_classifier.bias"].to(torch::kDouble);
    if (!torch::equal(p, eye) || shift.min().item<double>() <= 0)
      throw WeightsError("config.json marks a folded linear head but pre_classifier is not one");
    new_w = w;
    new_b = b + torch::mv(w, shift);
  } else {
    torch::Tensor p = params["bert.pooler.dense.weight"].to(torch::kDouble);
    const double eps = p[0][0].item<double>();
    if (!(eps > 0) || !torch::equal(p, eye * eps) ||
        params["bert.pooler.dense.bias"].abs().max().item<double>() != 0)
      throw WeightsError("config.json marks a folded linear head but the pooler is not one");
    new_w = w * eps;
    new_b = b;
  }
  Head head = make_head(HeadType::Linear, c, dropout);
  head->classifier()->weight.copy_(new_w);
  head->classifier()->bias.copy_(new_b);
  return head;
}

}  // namespace finsent::models::detail
