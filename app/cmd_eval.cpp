// `finsent eval`: a saved classifier scored on the test split (same split flags as `data split`).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "cli_device_option.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/eval/metrics.hpp"
#include "finsent/pipeline/evaluate.hpp"

namespace finsent::app {
namespace {

struct EvalArgs {
  pipeline::EvaluateOptions options;
  std::string device;
  bool json = false;
};

void run(EvalArgs& a) {
  a.options.device = device_from(a.device);
  const auto r = pipeline::evaluate_saved_model(a.options);
  if (a.json) {
    nlohmann::json doc = eval::to_json(r.evaluation.report);
    doc["collapse"] = pipeline::collapse_json(r.collapse);
    std::cout << doc.dump() << '\n';
  } else {
    std::cout << "test split (" << r.test_rows << " sentences):\n"
              << eval::format_report(r.evaluation.report);
  }
  std::cout.flush();  // the report first, then the warning, when both go to one place
  if (r.collapse) std::cerr << "finsent: warning: " << printable(r.collapse->message) << '\n';
}

RegisterCommand reg(60, [](CLI::App& root) {
  auto a = std::make_shared<EvalArgs>();
  CLI::App* cmd = root.add_subcommand("eval", "Score a saved classifier on the test split");
  auto& o = a->options;
  add_data_options(cmd, o.data);
  cmd->add_option("--model", o.model_dir, "Model directory or cached Hub id")
      ->required()
      ->transform(model_dir_or_hub_id());
  cmd->add_flag("--json", a->json, "Print one JSON document (the metrics shape of DESIGN.md)");
  cmd->add_option("--predictions", o.predictions,
                  "Write per-sentence predictions with probabilities (JSONL) to FILE");
  cmd->add_option("--batch-size", o.batch_size, "Sentences per forward pass")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--bf16", o.bf16, "Run the model under bf16 autocast (fp32 weights)");
  add_device_option(cmd, a->device);
  cmd->callback([a] { run(*a); });
});

}  // namespace
}  // namespace finsent::app
