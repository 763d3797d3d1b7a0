// `finsent data split|stats`: the notebook's split written to JSONL, and the class balance.
#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "command.hpp"
#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/data/label_encoder.hpp"
#include "finsent/io/atomic_file.hpp"

namespace finsent::app {
namespace {

void write_jsonl(io::AtomicFile& file, const std::vector<data::Example>& rows) {
  for (const auto& r : rows)
    file.stream() << nlohmann::json{{"text", r.text}, {"label", r.label}}.dump() << "\n";
}

std::vector<int64_t> counts(const std::vector<data::Example>& rows, const data::LabelEncoder& enc) {
  std::vector<int64_t> c(enc.size(), 0);
  for (const auto& r : rows) ++c[static_cast<size_t>(enc.encode(r.label))];
  return c;
}

struct StatsArgs {
  DataOptions data;
  bool json = false;
};

void run_stats(const StatsArgs& a) {
  auto all = data::load_examples(a.data.source);
  const auto enc = data::LabelEncoder::fit(all);
  const size_t total = all.size();
  auto split = data::split_train_test(std::move(all), a.data.split);
  std::vector<data::Example> everything = split.train;
  everything.insert(everything.end(), split.test.begin(), split.test.end());
  const std::map<std::string, const std::vector<data::Example>*> parts{
      {"all", &everything}, {"train", &split.train}, {"test", &split.test}};
  // Counted once per part (not once per label): linear in rows + labels.
  std::map<std::string, std::vector<int64_t>> part_counts;
  for (const auto& [name, rows] : parts) part_counts[name] = counts(*rows, enc);

  // The baseline to beat: always predict the most frequent training class.
  const auto& train_counts = part_counts.at("train");
  const auto majority = static_cast<size_t>(
      std::max_element(train_counts.begin(), train_counts.end()) - train_counts.begin());
  const auto& test_counts = part_counts.at("test");
  const double majority_acc =
      split.test.empty() ? 0.0 : static_cast<double>(test_counts[majority]) / split.test.size();

  if (a.json) {
    nlohmann::json j{{"file", a.data.source.path.string()},
                     {"rows", total},
                     {"labels", enc.labels()},
                     {"majority_class", enc.labels()[majority]},
                     {"majority_accuracy", majority_acc}};
    for (const auto& name : {"all", "train", "test"}) {
      const auto& rows = *parts.at(name);
      const auto& c = part_counts.at(name);
      nlohmann::json per;
      for (size_t i = 0; i < enc.size(); ++i) {
        per[enc.labels()[i]] = {
            {"count", c[i]},
            {"share", rows.empty() ? 0.0 : static_cast<double>(c[i]) / rows.size()}};
      }
      j[name] = {{"rows", rows.size()}, {"classes", per}};
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << printable(a.data.source.path.string()) << ": " << total << " rows, "
            << split.train.size() << " train / " << split.test.size() << " test (seed "
            << a.data.split.seed << ", test ratio " << a.data.split.test_ratio
            << (a.data.split.stratified ? ", stratified" : "") << ")\n\n";
  std::cout << std::left << std::setw(10) << "class";
  for (const auto& name : {"all", "train", "test"})
    std::cout << std::right << std::setw(18) << name;
  std::cout << "\n";
  for (size_t i = 0; i < enc.size(); ++i) {
    std::cout << std::left << std::setw(10) << printable(enc.labels()[i]);
    for (const auto& name : {"all", "train", "test"}) {
      const auto& rows = *parts.at(name);
      const auto c = part_counts.at(name)[i];
      std::ostringstream cell;
      cell << c << " (" << std::fixed << std::setprecision(1)
           << (rows.empty() ? 0.0 : 100.0 * static_cast<double>(c) / rows.size()) << "%)";
      std::cout << std::right << std::setw(18) << cell.str();
    }
    std::cout << "\n";
  }
  std::cout << "\nmajority class (train): " << printable(enc.labels()[majority])
            << "; predicting it on test scores accuracy " << std::fixed << std::setprecision(4)
            << majority_acc << " — the floor any model must beat\n";
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
