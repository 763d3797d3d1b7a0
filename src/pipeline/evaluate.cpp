// Test-set scoring shared by `finsent train` (metrics.json), `finsent eval` and the lab.
#include "finsent/pipeline/evaluate.hpp"

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/train/autocast.hpp"

namespace finsent::pipeline {

Evaluation evaluate_classifier(models::TextClassifier& classifier,
                               const std::vector<std::string>& texts,
                               const std::vector<std::string>& gold, int64_t batch_size) {
  if (gold.size() != texts.size()) {
    throw InputError(std::to_string(texts.size()) + " texts but " + std::to_string(gold.size()) +
                     " gold labels");
  }
  Evaluation out;
  out.predictions = classifier.predict(texts, batch_size);
  std::vector<std::string> y_pred;
  y_pred.reserve(out.predictions.size());
  for (const auto& p : out.predictions) y_pred.push_back(p.label);
  out.report = eval::classification_report(gold, y_pred);
  return out;
}

void write_predictions(const std::filesystem::path& file, const std::vector<std::string>& texts,
                       const std::vector<std::string>& gold, const Evaluation& evaluation,
                       const std::vector<std::string>& labels) {
  io::AtomicFile atomic(file);  // nothing under `file` unless every line was written
  std::ostream& out = atomic.stream();
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& p = evaluation.predictions[i];
    nlohmann::json probs = nlohmann::json::object();
    for (size_t c = 0; c < labels.size(); ++c) probs[labels[c]] = p.probabilities[c];
    out << nlohmann::json{{"text", texts[i]},
                          {"label", gold[i]},
                          {"predicted", p.label},
                          {"score", p.score},
                          {"probabilities", probs}}
               .dump()
        << '\n';
  }
  atomic.commit();
}

models::TextClassifier load_classifier(const std::filesystem::path& model_dir, c10::Device device) {
  models::ClassifierOptions options;
  options.device = device;
  return models::TextClassifier::load(model_dir, options);
}

SavedModelEvaluation evaluate_saved_model(const EvaluateOptions& o) {
  if (o.bf16 && !o.device.is_cpu() && !o.device.is_cuda())
    throw InputError("--bf16 is autocast on CPU or CUDA (the model is on " + o.device.str() + ")");
  const data::Split split = load_split(o.data);
  auto classifier = load_classifier(o.model_dir, o.device);
  const TestSet test = test_set(split);
  SavedModelEvaluation out;
  {
    const train::AutocastBf16 autocast(o.bf16, o.device.type());
    out.evaluation = evaluate_classifier(classifier, test.texts, test.gold, o.batch_size);
  }
  out.test_rows = test.texts.size();
  out.labels = classifier.labels();
  if (!o.predictions.empty())
    write_predictions(o.predictions, test.texts, test.gold, out.evaluation, out.labels);
  out.collapse =
      collapse_warning(out.evaluation.report, "test sentences", read_training_args(o.model_dir));
  return out;
}

}  // namespace finsent::pipeline
