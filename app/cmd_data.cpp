// `finsent data split|stats`: the notebook's split written to JSONL, and the class balance.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/io/atomic_file.hpp"

namespace finsent::app {
namespace {

void write_jsonl(io::AtomicFile& file, const std::vector<data::Example>& rows) {
  for (const auto& r : rows)
    file.stream() << nlohmann::json{{"text", r.text}, {"label", r.label}}.dump() << "\n";
}

struct StatsArgs {
  DataOptions data;
  bool json = false;
};

void print_stats_json(const StatsArgs& a, const pipeline::ClassBalance& b) {
  nlohmann::json j{{"file", a.data.source.path.string()},
                   {"rows", b.rows},
                   {"labels", b.labels},
                   {"majority_class", b.labels[b.majority]},
                   {"majority_accuracy", b.majority_accuracy}};
  for (const auto& [name, rows, c] :
       {std::tuple{"all", b.rows, &b.all}, std::tuple{"train", b.train_rows, &b.train},
        std::tuple{"test", b.test_rows, &b.test}}) {
    nlohmann::json per;
    for (size_t i = 0; i < b.labels.size(); ++i) {
      per[b.labels[i]] = {{"count", (*c)[i]},
                          {"share", rows == 0 ? 0.0 : static_cast<double>((*c)[i]) / rows}};
    }
    j[name] = {{"rows", rows}, {"classes", per}};
  }
  std::cout << j.dump(2) << "\n";
}

void print_stats_table(const StatsArgs& a, const pipeline::ClassBalance& b) {
  std::cout << printable(a.data.source.path.string()) << ": " << b.rows << " rows, " << b.train_rows
            << " train / " << b.test_rows << " test (seed " << a.data.split.seed << ", test ratio "
            << a.data.split.test_ratio << (a.data.split.stratified ? ", stratified" : "")
            << ")\n\n";
  std::cout << std::left << std::setw(10) << "class";
  for (const auto& name : {"all", "train", "test"})
    std::cout << std::right << std::setw(18) << name;
  std::cout << "\n";
  for (size_t i = 0; i < b.labels.size(); ++i) {
    std::cout << std::left << std::setw(10) << printable(b.labels[i]);
    for (const auto& [rows, c] : {std::pair{b.rows, &b.all}, std::pair{b.train_rows, &b.train},
                                  std::pair{b.test_rows, &b.test}}) {
      std::ostringstream cell;
      cell << (*c)[i] << " (" << std::fixed << std::setprecision(1)
           << (rows == 0 ? 0.0 : 100.0 * static_cast<double>((*c)[i]) / rows) << "%)";
      std::cout << std::right << std::setw(18) << cell.str();
    }
    std::cout << "\n";
  }
  std::cout << "\nmajority class (train): " << printable(b.labels[b.majority])
            << "; predicting it on test scores accuracy " << std::fixed << std::setprecision(4)
            << b.majority_accuracy << " — the floor any model must beat\n";
}

void run_stats(const StatsArgs& a) {
  const pipeline::ClassBalance balance = pipeline::class_balance(load_split(a.data));
  if (a.json)
    print_stats_json(a, balance);
  else
    print_stats_table(a, balance);
}

struct SplitArgs {
  DataOptions data;
  std::filesystem::path out;
  bool json = false;
};

void run_split(const SplitArgs& a) {
  auto split = load_split(a.data);
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) throw IoError(a.out.string() + ": cannot create directory (" + ec.message() + ")");
  // Both files or neither: a full disk leaves no half split (nor a new train.jsonl beside an old
  // test.jsonl).
  io::AtomicFile train_file(a.out / "train.jsonl"), test_file(a.out / "test.jsonl");
  write_jsonl(train_file, split.train);
  write_jsonl(test_file, split.test);
  io::commit_all({&train_file, &test_file});
  if (a.json) {
    std::cout << nlohmann::json{{"train", (a.out / "train.jsonl").string()},
                                {"test", (a.out / "test.jsonl").string()},
                                {"train_rows", split.train.size()},
                                {"test_rows", split.test.size()}}
                     .dump()
              << "\n";
  } else {
    std::cout << "wrote " << split.train.size() << " rows to " << (a.out / "train.jsonl").string()
              << " and " << split.test.size() << " rows to " << (a.out / "test.jsonl").string()
              << "\n";
  }
}

const RegisterCommand reg(10, [](CLI::App& root) {
  auto* data = root.add_subcommand("data", "Load, split and inspect a labelled dataset");
  data->require_subcommand(1);

  auto split_args = std::make_shared<SplitArgs>();
  auto* split = data->add_subcommand(
      "split", "Split into train.jsonl/test.jsonl (the notebook's split by default)");
  add_data_options(split, split_args->data);
  split->add_option("--out", split_args->out, "Output directory")->required();
  split->add_flag("--json", split_args->json, "Print one JSON document");
  split->callback([split_args] { run_split(*split_args); });

  auto stats_args = std::make_shared<StatsArgs>();
  auto* stats = data->add_subcommand("stats", "Rows and class balance for all/train/test");
  add_data_options(stats, stats_args->data);
  stats->add_flag("--json", stats_args->json, "Print one JSON document");
  stats->callback([stats_args] { run_stats(*stats_args); });
});

}  // namespace
}  // namespace finsent::app
