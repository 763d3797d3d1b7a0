// The head RoBERTa, XLM-R, ELECTRA and MPNet share in Transformers (RobertaClassificationHead,
// ElectraClassificationHead, MPNetClassificationHead): on the first position,
// dropout -> dense -> activation -> dropout -> out_proj, its layers under "classifier"
// ("classifier.dense", "classifier.out_proj"). The families differ in the activation only.
#pragma once

#include <map>
#include <string>
#include <utility>

#include <torch/torch.h>

#include "finsent/models/config.hpp"
#include "finsent/models/family.hpp"
#include "finsent/models/heads.hpp"

namespace finsent::models {

// The activation between dense and out_proj: tanh (RoBERTa, MPNet) or exact GELU (ELECTRA).
enum class DenseHeadActivation { Tanh, Gelu };

// The head's layers, registered as "classifier" on the classifier model.
class DenseClassificationLayersImpl : public torch::nn::Module {
 public:
  DenseClassificationLayersImpl(int64_t hidden_size, int64_t num_labels, double dropout_p);
  torch::nn::Linear dense{nullptr};
  torch::nn::Dropout dropout{nullptr};
  torch::nn::Linear out_proj{nullptr};
};
TORCH_MODULE(DenseClassificationLayers);

class DenseClassificationHeadImpl : public HeadImpl {
 public:
  // `name` as --head gives it ("roberta"); dropout_p: the family's classifier dropout.
  DenseClassificationHeadImpl(std::string name, const ModelConfig& c, DenseHeadActivation act,
                              double dropout_p);
  torch::nn::Linear& classifier() override { return layers->out_proj; }
  torch::nn::Linear& input_projection() override { return layers->dense; }
  DenseClassificationLayers layers{nullptr};

 protected:
  // features [b, hidden] (the first position) -> logits [b, num_labels]
  torch::Tensor project(const torch::Tensor& features) override;

 private:
  DenseHeadActivation act_;
};

// The HeadKind of a family whose head this is: tensor root "classifier", projection
// "classifier.out_proj", made with the family's classifier dropout.
HeadKind dense_head_kind(const std::string& name, DenseHeadActivation act,
                         std::function<double(const ModelConfig&)> dropout);

// The notebook's linear head (W, b) stored as this head with the same logits (family.hpp's
// LinearHeadFold), for families whose last block ends in
// `<prefix>.encoder.layer.N.output.LayerNorm`:
//   tanh: dense = eps I, bias 0 (tanh(eps x) = eps x to float precision), out_proj = W / eps;
//   gelu: dense = I with bias c = bound + 6 (gelu(y) = y for y > 6 in float), out_proj bias
//   b - W c.
LinearHeadFold dense_head_linear_fold(const std::string& prefix, DenseHeadActivation act);

}  // namespace finsent::models
