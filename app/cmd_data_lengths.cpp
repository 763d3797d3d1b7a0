// `finsent data lengths`: token-length distribution of a dataset and the MAX_LEN it suggests.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "cli_data_options.hpp"
#include "cli_model_option.hpp"
#include "command.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/data/dataset.hpp"
#include "finsent/text/length_stats.hpp"
#include "finsent/text/tokenizer.hpp"

namespace finsent::app {
namespace {

using nlohmann::json;

struct LengthsOptions {
  DataOptions data;
  std::string model, vocab;
  size_t bins = 12;
  bool as_json = false;
};

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

json to_json(const text::LengthStats& s) {
  json histogram = json::array();
  for (const auto& b : s.histogram)
    histogram.push_back(json{{"lo", b.lo}, {"hi", b.hi}, {"count", b.count}});
  return json{{"count", s.count},
              {"min", s.min},
              {"mean", s.mean},
              {"p50", s.p50},
              {"p90", s.p90},
              {"p95", s.p95},
              {"p99", s.p99},
              {"max", s.max},
              {"histogram", histogram},
              {"max_len_99_9", s.max_len_999},
              {"max_len_100", s.max_len_100},
              {"padding_saved_vs_512_99_9", s.padding_saved_999},
              {"padding_saved_vs_512_100", s.padding_saved_100}};
}

void print(const text::LengthStats& s, const std::string& data, const std::string& tokenizer) {
  std::cout << "texts:      " << s.count << " (" << printable(data) << "), tokenizer "
            << printable(tokenizer) << "\n"
            << "tokens per text, [CLS] and [SEP] included:\n"
            << "  min " << s.min << "  mean " << fixed(s.mean, 1) << "  p50 " << fixed(s.p50, 1)
            << "  p90 " << fixed(s.p90, 1) << "  p95 " << fixed(s.p95, 1) << "  p99 "
            << fixed(s.p99, 1) << "  max " << s.max << "\n"
            << "histogram:\n";
  size_t peak = 1;
  for (const auto& b : s.histogram) peak = std::max(peak, b.count);
  for (const auto& b : s.histogram) {
    char range[32];
    std::snprintf(range, sizeof range, "%5zu-%-5zu", b.lo, b.hi);
    std::cout << "  " << range << " " << std::string((b.count * 40 + peak - 1) / peak, '#') << " "
              << b.count << "\n";
  }
  std::cout << "MAX_LEN " << s.max_len_999 << " keeps 99.9% of texts whole and saves "
            << fixed(100 * s.padding_saved_999, 1) << "% of the padding of MAX_LEN 512\n"
            << "MAX_LEN " << s.max_len_100 << " keeps 100% of texts whole and saves "
            << fixed(100 * s.padding_saved_100, 1) << "% of the padding of MAX_LEN 512\n";
}

RegisterCommand reg(35, [](CLI::App& root) {
  CLI::App* data = nullptr;
  try {
    data = root.get_subcommand("data");
  } catch (const CLI::OptionNotFound&) {  // `data` is registered by cmd_data.cpp; stand alone too
    data = root.add_subcommand("data", "Dataset tools");
    data->require_subcommand(1);
  }
  auto o = std::make_shared<LengthsOptions>();
  auto* cmd = data->add_subcommand(
      "lengths",
      "Token-length distribution of a dataset and the smallest MAX_LEN that keeps it whole");
  add_data_options(cmd, o->data);
  auto* model = cmd->add_option("--model", o->model,
                                "Model directory or cached Hub id whose tokenizer to use")
                    ->transform(model_dir_or_hub_id());
  auto* vocab = cmd->add_option("--vocab", o->vocab, "A vocab.txt or tokenizer.json file");
  model->excludes(vocab);
  cmd->add_option("--bins", o->bins, "Histogram bins")->default_val(12)->check(CLI::PositiveNumber);
  cmd->add_flag("--json", o->as_json, "Print one JSON document");
  cmd->callback([o] {
    if (o->model.empty() == o->vocab.empty()) {
      throw UsageError("data lengths needs --model DIR or --vocab FILE");
    }
    const std::string source = o->model.empty() ? o->vocab : o->model;
    const auto tokenizer = text::load_tokenizer(source);
    const auto examples = data::load_examples(o->data.source);
    std::vector<std::string> texts;
    texts.reserve(examples.size());
    for (const auto& e : examples) texts.push_back(e.text);
    const auto stats = text::length_stats(text::token_lengths(*tokenizer, texts), o->bins);
    if (o->as_json) {
      json out = to_json(stats);
      out["data"] = o->data.source.path.string();
      out["tokenizer"] = source;
      std::cout << out.dump(2) << "\n";
    } else {
      print(stats, o->data.source.path.string(), source);
    }
  });
});

}  // namespace
}  // namespace finsent::app
