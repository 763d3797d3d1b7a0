// `finsent baseline`: TF-IDF + multinomial Naive Bayes, fitted on train, scored on test.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_data_options.hpp"
#include "command.hpp"
#include "finsent/baseline/naive_bayes_baseline.hpp"
#include "finsent/core/printable.hpp"
#include "finsent/eval/metrics.hpp"

namespace finsent::app {
namespace {

struct BaselineArgs {
  DataOptions data;
  bool json = false;
};

void run_baseline(const BaselineArgs& a) {
  const auto split = load_split(a.data);
  const auto result = baseline::run_naive_bayes_baseline(split);
  const auto report = eval::classification_report(result.y_true, result.y_pred, result.labels);
  if (a.json) {
    auto j = eval::to_json(report);
    j["model"] = "tfidf+multinomial_nb";
    j["train_rows"] = split.train.size();
    j["test_rows"] = split.test.size();
    j["vocabulary_size"] = result.vocabulary_size;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "TF-IDF + multinomial Naive Bayes on " << printable(a.data.source.path.string())
            << "\n"
            << "fitted on " << split.train.size() << " train rows (vocabulary "
            << result.vocabulary_size << " words), scored on " << split.test.size()
            << " test rows\n\n"
            << eval::format_report(report);
}

const RegisterCommand reg(20, [](CLI::App& root) {
  auto args = std::make_shared<BaselineArgs>();
  auto* cmd = root.add_subcommand(
      "baseline", "TF-IDF + multinomial Naive Bayes baseline (scikit-learn semantics)");
  add_data_options(cmd, args->data);
  cmd->add_flag("--json", args->json, "Print one JSON document");
  cmd->callback([args] { run_baseline(*args); });
});

}  // namespace
}  // namespace finsent::app
