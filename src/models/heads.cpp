// Classification heads: BertForSequenceClassification's, DistilBertForSequenceClassification's, the
// notebook's.
#include "finsent/models/heads.hpp"

#include "finsent/core/error.hpp"
#include "finsent/ops/dropout.hpp"
#include "init.hpp"

namespace finsent::models {

namespace nn = torch::nn;

std::string head_name(HeadType type) {
  switch (type) {
    case HeadType::Bert:
      return "bert";
    case HeadType::DistilBert:
      return "distilbert";
    case HeadType::Mean:
      return "mean";
    case HeadType::Linear:
      break;
  }
  return "linear";
}

HeadType parse_head(const std::string& name) {
  if (name == "bert") return HeadType::Bert;
  if (name == "distilbert") return HeadType::DistilBert;
  if (name == "linear") return HeadType::Linear;
  if (name == "mean") return HeadType::Mean;
  throw ConfigError("unknown head \"" + name + "\" (auto, bert, distilbert, linear, mean)");
}

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

DistilBertClassificationHeadImpl::DistilBertClassificationHeadImpl(const ModelConfig& c,
                                                                   int64_t num_labels) {
  pre_classifier = register_module("pre_classifier", nn::Linear(c.hidden_size, c.hidden_size));
  dropout = register_module("dropout", nn::Dropout(c.seq_classif_dropout));
  classifier_ = register_module("classifier", nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DistilBertClassificationHeadImpl::project(const torch::Tensor& cls) {
  torch::Tensor h = torch::relu(pre_classifier(cls));
  return classifier_(ops::dropout(dropout, h));
}

DropoutLinearHeadImpl::DropoutLinearHeadImpl(const ModelConfig& c, int64_t num_labels,
                                             double dropout_p, const std::string& name) {
  dropout = register_module("dropout", nn::Dropout(dropout_p));
  classifier_ = register_module(name, nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DropoutLinearHeadImpl::project(const torch::Tensor& features) {
  return classifier_(ops::dropout(dropout, features));
}

Head make_head(HeadType type, const ModelConfig& config, double linear_dropout) {
  std::shared_ptr<HeadImpl> head;
  switch (type) {
    case HeadType::Bert:
      head = std::make_shared<BertClassificationHeadImpl>(config, config.num_labels());
      break;
    case HeadType::DistilBert:
      head = std::make_shared<DistilBertClassificationHeadImpl>(config, config.num_labels());
      break;
    case HeadType::Linear:
    case HeadType::Mean:
      if (!(linear_dropout >= 0.0 && linear_dropout < 1.0))
        throw ConfigError(head_name(type) + " head dropout must be in [0, 1)");
      if (type == HeadType::Linear)
        head = std::make_shared<LinearHeadImpl>(config, config.num_labels(), linear_dropout);
      else
        head = std::make_shared<MeanPoolingHeadImpl>(config, config.num_labels(), linear_dropout);
      break;
  }
  detail::init_weights(*head, config.initializer_range);
  return Head(head);
}

}  // namespace finsent::models
