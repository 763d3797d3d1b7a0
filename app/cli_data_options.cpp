// Shared --data/--format/--seed/... flags (pipeline::DataOptions).
#include "cli_data_options.hpp"

namespace finsent::app {

void add_data_options(CLI::App* cmd, DataOptions& o, bool data_required) {
  auto* data = cmd->add_option("--data", o.source.path,
                               "Labelled data: PhraseBank Sentences_*.txt, .csv, .tsv or .jsonl");
  if (data_required) data->required();
  cmd->add_option("--format", o.source.format, "phrasebank|csv|tsv|jsonl (default: by extension)")
      ->check(CLI::IsMember({"auto", "phrasebank", "csv", "tsv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--text-column", o.source.text_column, "Text column/field for csv, tsv, jsonl")
      ->capture_default_str();
  cmd->add_option("--label-column", o.source.label_column, "Label column/field for csv, tsv, jsonl")
      ->capture_default_str();
  cmd->add_option("--max-data-bytes", o.source.max_bytes,
                  "Refuse a data file larger than this many bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--seed", o.split.seed, "Shuffle seed (Python's random.seed)")
      ->capture_default_str();
  cmd->add_option("--test-ratio", o.split.test_ratio, "Share of rows held out for test")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
  cmd->add_flag("--stratify", o.split.stratified, "Keep class shares equal in train and test");
}

}  // namespace finsent::app
