// Test-set scoring shared by `finsent train` (metrics.json) and `finsent eval`.
#include "finsent/train/evaluate.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"

namespace finsent::train {

Evaluation evaluate_classifier(models::TextClassifier& classifier,
                               const std::vector<std::string>& texts,
                               const std::vector<std::string>& gold, int64_t batch_size) {
  const auto& labels = classifier.labels();
  std::unordered_map<std::string, int> index;  // linear in labels + examples, however many labels
  for (size_t c = 0; c < labels.size(); ++c) index.emplace(labels[c], static_cast<int>(c));
  std::vector<int> y_true, y_pred;
  for (size_t i = 0; i < gold.size(); ++i) {
    const auto it = index.find(gold[i]);
    if (it == index.end())
      throw InputError("example " + std::to_string(i + 1) + ": label '" + gold[i] +
                       "' is not one of the model's labels");
    y_true.push_back(it->second);
  }
  Evaluation out;
  out.predictions = classifier.predict(texts, batch_size);
  for (const auto& p : out.predictions) y_pred.push_back(index.at(p.label));
  out.report = eval::classification_report(y_true, y_pred, labels);
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
