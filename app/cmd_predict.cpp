// `finsent predict`: label, score and class probabilities for texts from args, a file or stdin.
#include <fstream>
#include <iostream>

#include "cli_device_option.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/serve/prediction_writer.hpp"
#include "finsent/serve/text_classifier_backend.hpp"

namespace finsent::app {
namespace {

struct PredictArgs {
  std::string model;
  std::vector<std::string> texts;
  std::string file, device;
  bool json = false;
  int64_t batch_size = 32;
  size_t chunk_size = 512;
};

// Feeds each non-empty line (a trailing CR removed) of `in` to the writer.
void stream_lines(std::istream& in, serve::PredictionWriter& writer) {
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) writer.add(std::move(line));
  }
}

void run(const PredictArgs& a) {
  if (!a.texts.empty() && !a.file.empty())
    throw UsageError("give TEXT arguments or --file, not both");
  auto backend =
      serve::load_classifier_backend(a.model, a.model, a.batch_size, device_from(a.device).str());
  serve::PredictionWriter writer(*backend, std::cout, {.json = a.json, .chunk_size = a.chunk_size});
  if (!a.texts.empty()) {
    for (const std::string& text : a.texts) writer.add(text);
  } else if (!a.file.empty()) {
    std::ifstream in(a.file, std::ios::binary);
    if (!in) throw IoError("cannot open " + a.file);
    stream_lines(in, writer);
    if (in.bad()) throw IoError("error reading " + a.file);
  } else {
    stream_lines(std::cin, writer);
  }
  writer.flush();
}

RegisterCommand reg(70, [](CLI::App& root) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* cmd = root.add_subcommand(
      "predict", "Class and probabilities for each TEXT (or each line of --file, or of stdin)");
  cmd->add_option("--model", args->model,
                  "Model directory (config.json, weights, vocab) or cached Hub id")
      ->required()
      ->transform(model_dir_or_hub_id());
  cmd->add_option("texts", args->texts, "Texts to classify (default: one per stdin line)");
  cmd->add_option("--file", args->file, "Read texts from FILE, one per line (empty lines skipped)");
  cmd->add_flag("--json", args->json,
                "One JSON line per text: {\"text\",\"label\",\"score\",\"probabilities\"}");
  cmd->add_option("--batch-size", args->batch_size, "Texts per forward pass")
      ->default_val(32)
      ->check(CLI::PositiveNumber);
  cmd->add_option("--chunk-size", args->chunk_size,
                  "Texts read ahead, sorted by length and classified together (bounds memory)")
      ->default_val(512)
      ->check(CLI::PositiveNumber);
  add_device_option(cmd, args->device);
  cmd->callback([args] { run(*args); });
});

}  // namespace
}  // namespace finsent::app
