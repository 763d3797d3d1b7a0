// Classification heads: the interface's standardization, and the family-independent heads (the
// notebook's linear head, mean pooling).
#include "finsent/models/heads.hpp"

#include "finsent/core/error.hpp"
#include "finsent/ops/dropout.hpp"
#include "init.hpp"

namespace finsent::models {

namespace nn = torch::nn;

torch::Tensor HeadImpl::forward(const torch::Tensor& features) {
  if (!input_mean_.defined()) return project(features);
  return project((features - input_mean_) / input_scale_);
}

void HeadImpl::standardize_inputs(const torch::Tensor& mean, const torch::Tensor& scale) {
  const int64_t hidden = input_projection()->weight.size(1);
  if (mean.dim() != 1 || scale.dim() != 1 || mean.size(0) != hidden || scale.size(0) != hidden)
    throw ConfigError("input standardization needs mean and scale of size " +
                      std::to_string(hidden));
  if (!(scale.min().item<double>() > 0))
    throw ConfigError("input standardization needs every scale > 0");
  input_mean_ = mean.detach().to(torch::kFloat32).clone();
  input_scale_ = scale.detach().to(torch::kFloat32).clone();
}

std::pair<torch::Tensor, torch::Tensor> folded_input_projection(HeadImpl& head) {
  torch::NoGradGuard no_grad;
  torch::nn::Linear& proj = head.input_projection();
  torch::Tensor w = proj->weight.detach().to(torch::kDouble);
  torch::Tensor b = proj->bias.detach().to(torch::kDouble);
  if (head.input_mean().defined()) {
    w = w / head.input_scale().to(torch::kDouble);  // scales column j by 1 / scale_j
    b = b - torch::mv(w, head.input_mean().to(torch::kDouble));
  }
  return {w.to(torch::kFloat32).contiguous(), b.to(torch::kFloat32).contiguous()};
}

DropoutLinearHeadImpl::DropoutLinearHeadImpl(std::string name, HeadInput input,
                                             const ModelConfig& c, int64_t num_labels,
                                             double dropout_p, const std::string& projection)
    : HeadImpl(std::move(name), input) {
  dropout = register_module("dropout", nn::Dropout(dropout_p));
  classifier_ = register_module(projection, nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DropoutLinearHeadImpl::project(const torch::Tensor& features) {
  return classifier_(ops::dropout(dropout, features));
}

namespace {

void check_linear_dropout(const std::string& head, double p) {
  if (!(p >= 0.0 && p < 1.0)) throw ConfigError(head + " head dropout must be in [0, 1)");
}

}  // namespace

const HeadKind& linear_head_kind() {
  static const HeadKind kind{
      kLinearHead, {"classifier"}, "classifier", [](const ModelConfig& c, double p) {
        check_linear_dropout(kLinearHead, p);
        return std::make_shared<LinearHeadImpl>(c, c.num_labels(), p);
      }};
  return kind;
}

const HeadKind& mean_head_kind() {
  static const HeadKind kind{
      kMeanHead, {"mean_classifier"}, "mean_classifier", [](const ModelConfig& c, double p) {
        check_linear_dropout(kMeanHead, p);
        return std::make_shared<MeanPoolingHeadImpl>(c, c.num_labels(), p);
      }};
  return kind;
}

Head make_head(const HeadKind& kind, const ModelConfig& config, double linear_dropout) {
  std::shared_ptr<HeadImpl> head = kind.make(config, linear_dropout);
  detail::init_weights(*head, config.initializer_range);
  return Head(head);
}

}  // namespace finsent::models
