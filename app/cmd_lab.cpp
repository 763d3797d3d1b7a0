// `finsent lab`: the notebook's whole path in one run, with report.md/report.html (order 90).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "cli_device_option.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/report/lab.hpp"

namespace finsent::app {
namespace {

struct LabArgs {
  DataOptions data;
  std::string model = "models/all-MiniLM-L6-v2";
  std::string out = "lab";
  std::string device;
  bool force = false, quick = false, json = false;
};

void run(const LabArgs& a) {
  report::LabOptions o;
  o.device = device_from(a.device);
  o.data = a.data.source;
  o.data.path = report::find_lab_data(a.data.source.path.string());
  o.split = a.data.split;
  o.model_dir = report::find_lab_model(a.model);
  o.model_name = a.model;
  o.out_dir = a.out;
  o.force = a.force;
  o.quick = a.quick;
  o.frozen = report::notebook_frozen_recipe(a.quick);
  o.unfrozen = report::improved_unfrozen_recipe(a.quick);
  // With --json, stdout holds only the JSON document; progress goes to stderr.
  std::ostream& progress = a.json ? std::cerr : std::cout;
  o.progress = &progress;
  o.tty = isatty(a.json ? STDERR_FILENO : STDOUT_FILENO) != 0;
  progress << "finsent lab: data " << printable(o.data.path.string()) << ", model "
           << printable(o.model_dir.string()) << ", out " << printable(o.out_dir.string())
           << (a.quick ? " (quick)" : "") << "\n";
  const auto result = report::run_lab(o);
  if (a.json) {
    std::ifstream in(result.metrics_json);
    std::cout << nlohmann::json::parse(in).dump(2) << "\n";
  }
  size_t failed = 0;
  for (const auto& s : result.stages)
    failed += s.state != report::StageState::Ran && s.state != report::StageState::Cached;
  if (failed > 0) {
    throw Error(std::to_string(failed) + " of " + std::to_string(result.stages.size()) +
                " stages did not complete (see " + result.report_md.string() + ")");
  }
}

RegisterCommand reg(90, [](CLI::App& root) {
  auto args = std::make_shared<LabArgs>();
  CLI::App* cmd = root.add_subcommand("lab",
                                      "The whole path in one run: stats, baseline, tokenizer, "
                                      "MAX_LEN, frozen and unfrozen training, "
                                      "evaluation, predictions; writes report.md and report.html");
  // Every data flag, as train and eval have them; --data has offline defaults here.
  add_data_options(cmd, args->data, /*data_required=*/false);
  cmd->get_option("--data")->description(
      "Data file (default: $FINSENT_DATA, then ./data/; Sentences_50Agree.txt in a folder)");
  cmd->add_option("--model", args->model,
                  "Model directory or Hub id (default models/all-MiniLM-L6-v2)");
  cmd->add_option("--out", args->out, "Output directory (report, models, cached stages)")
      ->capture_default_str();
  cmd->add_flag("--force", args->force, "Rerun every stage even when a cached result matches");
  cmd->add_flag("--quick", args->quick,
                "Fewer epochs (frozen 2, unfrozen 1) for a fast first look");
  cmd->add_flag("--json", args->json, "Print metrics.json on stdout (progress goes to stderr)");
  add_device_option(cmd, args->device);
  cmd->callback([args] { run(*args); });
});

}  // namespace
}  // namespace finsent::app
