// predict: load a saved classifier on a device and classify texts.
#include "finsent/pipeline/predict.hpp"

#include "finsent/pipeline/evaluate.hpp"

namespace finsent::pipeline {

ModelPredictions predict(const std::filesystem::path& model_dir,
                         const std::vector<std::string>& texts, const PredictOptions& options) {
  auto classifier = load_classifier(model_dir, options.device);
  return {classifier.labels(), classifier.predict(texts, options.batch_size)};
}

}  // namespace finsent::pipeline
