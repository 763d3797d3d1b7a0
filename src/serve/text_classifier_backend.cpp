// ClassifierBackend over models::TextClassifier: the only serve file that sees torch.
#include "finsent/serve/text_classifier_backend.hpp"

#include "finsent/models/text_classifier.hpp"

namespace finsent::serve {
namespace {

class TextClassifierBackend : public ClassifierBackend {
 public:
  TextClassifierBackend(models::TextClassifier classifier, std::string model_id, int64_t batch_size)
      : classifier_(std::move(classifier)),
        model_id_(std::move(model_id)),
        batch_size_(std::max<int64_t>(batch_size, 1)) {}

  const std::vector<std::string>& labels() const override { return classifier_.labels(); }
  size_t max_input_length() const override { return static_cast<size_t>(classifier_.max_length()); }
  size_t count_tokens(const SequenceInput& input) const override {
    const auto& tokenizer = classifier_.tokenizer();
    return input.pair ? tokenizer.encode_pair(input.text, *input.pair).ids.size()
                      : tokenizer.encode(input.text).ids.size();
  }
  std::vector<std::vector<float>> logits(const std::vector<SequenceInput>& inputs,
                                         bool truncate) override {
    std::vector<models::TextInput> text_inputs;
    text_inputs.reserve(inputs.size());
    for (const SequenceInput& input : inputs) text_inputs.push_back({input.text, input.pair});
    const torch::Tensor logits =
        classifier_.logits(text_inputs, truncate, batch_size_).to(torch::kFloat32).contiguous();
    const int64_t rows = logits.size(0), cols = logits.size(1);
    const float* data = logits.data_ptr<float>();
    std::vector<std::vector<float>> out(rows);
    for (int64_t r = 0; r < rows; ++r) out[r].assign(data + r * cols, data + (r + 1) * cols);
    return out;
  }
  std::string model_id() const override { return model_id_; }
  // Weights are loaded as float32 whatever the checkpoint stored.
  std::string dtype() const override { return "float32"; }

 private:
  models::TextClassifier classifier_;
  std::string model_id_;
  int64_t batch_size_;
};

}  // namespace

std::unique_ptr<ClassifierBackend> load_classifier_backend(const std::filesystem::path& model_dir,
                                                           std::string model_id, int64_t batch_size,
                                                           const std::string& device) {
  models::ClassifierOptions options;
  options.device = torch::Device(device);
  return std::make_unique<TextClassifierBackend>(models::TextClassifier::load(model_dir, options),
                                                 std::move(model_id), batch_size);
}

}  // namespace finsent::serve
