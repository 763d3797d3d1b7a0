// Test-set scoring shared by `finsent train` (metrics.json) and `finsent eval`.
#include "finsent/train/evaluate.hpp"

#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"

namespace finsent::train {

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

}  // namespace finsent::train
