// `finsent eval`: a saved classifier scored on the test split (same split flags as `data split`).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/eval/metrics.hpp"
#include "finsent/models/text_classifier.hpp"
#include "finsent/train/autocast.hpp"
#include "finsent/train/collapse_warning.hpp"
#include "finsent/train/evaluate.hpp"

namespace finsent::app {
namespace {

struct EvalArgs {
  DataOptions data;
  std::string model, predictions;
  bool json = false, bf16 = false;
  int64_t batch_size = 64;
};

void run(const EvalArgs& a) {
  const data::Split split = load_split(a.data);
  auto classifier = models::TextClassifier::load(a.model);
  std::vector<std::string> texts, gold;
  for (const auto& e : split.test) {
    texts.push_back(e.text);
    gold.push_back(e.label);
  }
  const train::CpuAutocastBf16 autocast(a.bf16);
  const auto evaluation = train::evaluate_classifier(classifier, texts, gold, a.batch_size);
  if (!a.predictions.empty())
    train::write_predictions(a.predictions, texts, gold, evaluation, classifier.labels());
  const auto collapse = train::collapse_warning(evaluation.report, "test sentences",
                                                train::read_training_args(a.model));
  if (a.json) {
    nlohmann::json doc = eval::to_json(evaluation.report);
    doc["collapse"] = train::collapse_json(collapse);
    std::cout << doc.dump() << '\n';
  } else {
    std::cout << "test split (" << texts.size() << " sentences):\n"
              << eval::format_report(evaluation.report);
  }
  std::cout.flush();  // the report first, then the warning, when both go to one place
  if (collapse) std::cerr << "finsent: warning: " << printable(collapse->message) << '\n';
}

RegisterCommand reg(60, [](CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = root.add_subcommand("eval", "Score a saved classifier on the test split");
  add_data_options(cmd, a->data);
  cmd->add_option("--model", a->model, "Model directory or cached Hub id")
      ->required()
      ->transform(model_dir_or_hub_id());
  cmd->add_flag("--json", a->json, "Print one JSON document (the metrics shape of DESIGN.md)");
  cmd->add_option("--predictions", a->predictions,
                  "Write per-sentence predictions with probabilities (JSONL) to FILE");
  cmd->add_option("--batch-size", a->batch_size, "Sentences per forward pass")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--bf16", a->bf16, "Run the model under bf16 autocast (fp32 weights)");
  cmd->callback([a] { run(*a); });
});

}  // namespace
}  // namespace finsent::app
