// RobertaClassificationHead and its siblings, and the linear head written as one.
#include "finsent/models/dense_classification_head.hpp"

#include "finsent/core/error.hpp"
#include "finsent/models/linear_fold.hpp"
#include "finsent/ops/activation.hpp"
#include "finsent/ops/dropout.hpp"

namespace finsent::models {

namespace nn = torch::nn;

DenseClassificationLayersImpl::DenseClassificationLayersImpl(int64_t hidden_size,
                                                             int64_t num_labels, double dropout_p) {
  dense = register_module("dense", nn::Linear(hidden_size, hidden_size));
  dropout = register_module("dropout", nn::Dropout(dropout_p));
  out_proj = register_module("out_proj", nn::Linear(hidden_size, num_labels));
}

DenseClassificationHeadImpl::DenseClassificationHeadImpl(std::string name, const ModelConfig& c,
                                                         DenseHeadActivation act, double dropout_p)
    : HeadImpl(std::move(name), HeadInput::FirstToken), act_(act) {
  layers = register_module("classifier",
                           DenseClassificationLayers(c.hidden_size, c.num_labels(), dropout_p));
}

torch::Tensor DenseClassificationHeadImpl::project(const torch::Tensor& features) {
  torch::Tensor x = layers->dense(ops::dropout(layers->dropout, features));
  x = act_ == DenseHeadActivation::Tanh ? torch::tanh(x) : ops::activate(x, ops::Activation::Gelu);
  return layers->out_proj(ops::dropout(layers->dropout, x));
}

HeadKind dense_head_kind(const std::string& name, DenseHeadActivation act,
                         std::function<double(const ModelConfig&)> dropout) {
  return {name,
          {"classifier"},
          "classifier.out_proj",
          [name, act, dropout](const ModelConfig& c, double) {
            return std::make_shared<DenseClassificationHeadImpl>(name, c, act, dropout(c));
          }};
}

namespace {

constexpr double kGeluShift = 6.0;  // 1 - Phi(6) < 1e-9: gelu(y) rounds to y in float

torch::Tensor last_block_bound(const std::string& prefix, const ModelConfig& c,
                               const std::map<std::string, torch::Tensor>& state) {
  const std::string norm =
      prefix + ".encoder.layer." + std::to_string(c.num_hidden_layers - 1) + ".output.LayerNorm";
  return layer_norm_output_bound(state.at(norm + ".weight"), state.at(norm + ".bias"),
                                 c.hidden_size);
}

void fold(const std::string& prefix, DenseHeadActivation act, const ModelConfig& c,
          std::map<std::string, torch::Tensor>& state) {
  const torch::Tensor bound = last_block_bound(prefix, c, state);
  const torch::Tensor w = state.at("classifier.weight").to(torch::kDouble);
  const torch::Tensor b = state.at("classifier.bias").to(torch::kDouble);
  const torch::Tensor eye = torch::eye(c.hidden_size, torch::kDouble);
  if (act == DenseHeadActivation::Tanh) {
    const double eps = tanh_identity_scale(bound.max().item<double>());
    state["classifier.dense.weight"] = (eye * eps).to(torch::kFloat).contiguous();
    state["classifier.dense.bias"] = torch::zeros({c.hidden_size}, torch::kFloat);
    state["classifier.out_proj.weight"] = (w / eps).to(torch::kFloat).contiguous();
    state["classifier.out_proj.bias"] = b.to(torch::kFloat).contiguous();
  } else {
    const torch::Tensor shift = bound + kGeluShift;
    state["classifier.dense.weight"] = eye.to(torch::kFloat).contiguous();
    state["classifier.dense.bias"] = shift.to(torch::kFloat).contiguous();
    state["classifier.out_proj.weight"] = w.to(torch::kFloat).contiguous();
    state["classifier.out_proj.bias"] = (b - torch::mv(w, shift)).to(torch::kFloat).contiguous();
  }
  state.erase("classifier.weight");
  state.erase("classifier.bias");
}

std::pair<torch::Tensor, torch::Tensor> unfold(
    DenseHeadActivation act, const ModelConfig& c,
    const torch::OrderedDict<std::string, torch::Tensor>& params) {
  const torch::Tensor dense = params["classifier.dense.weight"].to(torch::kDouble);
  const torch::Tensor dense_bias = params["classifier.dense.bias"].to(torch::kDouble);
  const torch::Tensor w = params["classifier.out_proj.weight"].to(torch::kDouble);
  const torch::Tensor b = params["classifier.out_proj.bias"].to(torch::kDouble);
  const torch::Tensor eye = torch::eye(c.hidden_size, torch::kDouble);
  if (act == DenseHeadActivation::Tanh) {
    const double eps = dense[0][0].item<double>();
    if (!(eps > 0) || !torch::equal(dense, eye * eps) || dense_bias.abs().max().item<double>() != 0)
      throw WeightsError("config.json marks a folded linear head but classifier.dense is not one");
    return {w * eps, b};
  }
  if (!torch::equal(dense, eye) || dense_bias.min().item<double>() < kGeluShift)
    throw WeightsError("config.json marks a folded linear head but classifier.dense is not one");
  return {w, b + torch::mv(w, dense_bias)};
}

}  // namespace

LinearHeadFold dense_head_linear_fold(const std::string& prefix, DenseHeadActivation act) {
  return {[prefix, act](const ModelConfig& c, std::map<std::string, torch::Tensor>& state) {
            fold(prefix, act, c, state);
          },
          [act](const ModelConfig& c, const torch::OrderedDict<std::string, torch::Tensor>& p) {
            return unfold(act, c, p);
          }};
}

}  // namespace finsent::models
