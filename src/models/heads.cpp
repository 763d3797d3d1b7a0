// Classification heads: BertForSequenceClassification's, DistilBertForSequenceClassification's, the
// notebook's.
#include "finsent/models/heads.hpp"

#include "finsent/core/error.hpp"
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

DistilBertClassificationHeadImpl::DistilBertClassificationHeadImpl(const ModelConfig& c,
                                                                   int64_t num_labels) {
  pre_classifier = register_module("pre_classifier", nn::Linear(c.hidden_size, c.hidden_size));
  dropout = register_module("dropout", nn::Dropout(c.seq_classif_dropout));
  classifier_ = register_module("classifier", nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DistilBertClassificationHeadImpl::forward(const torch::Tensor& cls) {
  torch::Tensor h = torch::relu(pre_classifier(cls));
  return classifier_(dropout(h));
}

DropoutLinearHeadImpl::DropoutLinearHeadImpl(const ModelConfig& c, int64_t num_labels,
                                             double dropout_p, const std::string& name) {
  dropout = register_module("dropout", nn::Dropout(dropout_p));
  classifier_ = register_module(name, nn::Linear(c.hidden_size, num_labels));
}

torch::Tensor DropoutLinearHeadImpl::forward(const torch::Tensor& features) {
  return classifier_(dropout(features));
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
