// `finsent lab`: the notebook's whole path (data -> baseline -> tokenizer -> MAX_LEN -> frozen and
// unfrozen training -> evaluation -> predictions -> comparison) in one run, with a report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <c10/core/Device.h>

#include "finsent/data/dataset.hpp"
#include "finsent/data/split.hpp"

namespace finsent::report {

// One training recipe (what differs between the frozen and the unfrozen run).
struct Recipe {
  int64_t epochs = 0;
  int64_t batch_size = 16;
  double learning_rate = 5e-5;
  double weight_decay = 0.0;
  double warmup = 0.0;  // ratio of total steps when < 1
  std::string head = "auto";
  bool freeze_encoder = false;
  bool group_by_length = false;
};

// The notebook's frozen run: a linear head on [CLS] over a frozen encoder, 16 epochs, batch 16,
// learning rate 5e-5 (Trainer's default). quick: 2 epochs.
Recipe notebook_frozen_recipe(bool quick);
// The improved recipe: the whole model trained, 3 epochs, batch 16, lr 5e-5 with 10% warmup,
// weight decay 0.01, the family's own head, length-grouped batches. quick: 1 epoch.
Recipe improved_unfrozen_recipe(bool quick);

// The exercise-8 sentences (stand-ins for the notebook's own; see docs/lab.md).
const std::vector<std::string>& exercise_sentences();

struct LabOptions {
  data::DataSource data;
  std::filesystem::path model_dir;  // resolved Hugging Face directory
  std::string model_name;           // as the user named it (for the report)
  std::filesystem::path out_dir = "lab";
  bool force = false;              // rerun every stage even when its cached result matches
  bool quick = false;              // fewer epochs (a fast first look; also what the tests use)
  data::SplitOptions split;        // the notebook's split by default (seed 0, 15% test)
  c10::Device device = c10::kCPU;  // where models train, evaluate and predict
  Recipe frozen = notebook_frozen_recipe(false);
  Recipe unfrozen = improved_unfrozen_recipe(false);
  std::ostream* progress = nullptr;  // stage lines and training progress; nullptr: silent
  bool tty = false;                  // training progress rewritten in place
};

enum class StageState { Ran, Cached, Failed, Skipped };

struct StageOutcome {
  std::string name;   // stats, baseline, tokenizer, lengths, train-frozen, ...
  std::string title;  // "Data statistics", ...
  StageState state = StageState::Skipped;
  double seconds = 0;  // this run's time (0 for a cached stage)
  std::string error;   // why it failed or was skipped
};

struct LabResult {
  std::vector<StageOutcome> stages;
  std::filesystem::path report_md, report_html, metrics_json;
  double total_seconds = 0;
  bool ok() const;  // every stage ran or was cached
};

// The data file the lab reads: `flag` when given; else $FINSENT_DATA (a file, or a folder holding
// Sentences_50Agree.txt directly or under FinancialPhraseBank-v1.0/); else the same inside ./data/.
// Throws InputError saying how to get the Financial PhraseBank when none exists.
std::filesystem::path find_lab_data(const std::string& flag);

// The model directory: an existing directory as is, a Hub id through the local cache
// (io::resolve_model). The default models/all-MiniLM-L6-v2 missing gives a ConfigError naming
// scripts/fetch-model.sh.
std::filesystem::path find_lab_model(const std::string& dir_or_id);

// Runs every stage in order, caching each result in out_dir/stages/<name>.json (reused on the next
// run when its inputs are unchanged, unless options.force). A failing stage is recorded with its
// error and the stages that need it are skipped; the report is written in every case. Trained
// models go to out_dir/models/{frozen,unfrozen}, TensorBoard logs to out_dir/runs/, and
// report.md, report.html, figures/ and metrics.json to out_dir.
LabResult run_lab(const LabOptions& options);

}  // namespace finsent::report
