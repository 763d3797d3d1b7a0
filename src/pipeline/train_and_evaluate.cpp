// train_and_evaluate: the training run and its test-split score, as `finsent train` does them.
#include "finsent/pipeline/train_and_evaluate.hpp"

#include <chrono>
#include <ostream>

#include "finsent/core/printable.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/train/run_lock.hpp"

namespace finsent::pipeline {
namespace {

// The line before training: the split's sizes and the first labels (10,000 labels would make one
// line of noise otherwise).
void announce(std::ostream& out, const train::LabeledTexts& train_part,
              const train::LabeledTexts& val_part, size_t test_rows,
              const data::LabelEncoder& encoder) {
  out << "training on " << train_part.texts.size() << " sentences"
      << (val_part.texts.empty() ? "" : ", validating on " + std::to_string(val_part.texts.size()))
      << ", testing on " << test_rows << "; labels:";
  constexpr size_t kListedLabels = 20;
  for (size_t i = 0; i < encoder.size() && i < kListedLabels; ++i)
    out << ' ' << printable(encoder.labels()[i]);
  if (encoder.size() > kListedLabels) out << " ... (" << encoder.size() << " labels)";
  out << '\n';
}

nlohmann::json metrics_json(const TrainAndEvaluateResult& r) {
  nlohmann::json metrics = eval::to_json(r.test.report);
  const train::TrainResult& t = r.training;
  metrics["split"] = "test";
  metrics["train_seconds"] = t.state.train_seconds;
  metrics["wall_seconds"] = r.wall_seconds;
  metrics["global_step"] = t.state.global_step;
  metrics["best_epoch"] = t.state.best_epoch;
  metrics["stopped_early"] = t.stopped_early;
  metrics["head"] = {{"kept", t.head.kept},
                     {"replaced", t.head.replaced},
                     {"initialized", t.head.initialized},
                     {"message", t.head.message}};
  metrics["collapse"] = collapse_json(r.collapse);
  return metrics;
}

}  // namespace

TrainAndEvaluateResult train_and_evaluate(const DataOptions& data,
                                          const train::TrainOptions& options,
                                          const train::TrainOutput& output,
                                          train::ProcessGroup* group) {
  options.validate();
  const bool reports = !group || group->rank() == 0;
  // Held until metrics.json is written: a second run on the same --out is refused here.
  std::optional<train::RunLock> lock;
  if (reports) lock.emplace(options.out_dir, "finsent train");
  const auto t0 = std::chrono::steady_clock::now();
  const data::Split split = load_split(data);
  const TrainingSet training = training_set(split);
  auto [train_part, val_part] =
      train::carve_validation(training.texts, options.val_ratio, options.seed);
  if (output.progress && reports)
    announce(*output.progress, train_part, val_part, split.test.size(), training.encoder);

  TrainAndEvaluateResult r;
  r.reports = reports;
  r.training = train::train_classifier(options, training.encoder.labels(), train_part, val_part,
                                       output, group);
  if (r.training.interrupted || !reports) return r;

  auto classifier = load_classifier(options.out_dir, options.device);
  const TestSet test = test_set(split);
  r.test = evaluate_classifier(classifier, test.texts, test.gold, options.eval_batch_size);
  r.test_rows = test.texts.size();
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.collapse = collapse_warning(r.test.report, "test sentences", train::to_json(options));
  r.metrics = metrics_json(r);
  io::write_file_atomic(options.out_dir / "metrics.json", r.metrics.dump(2) + "\n");
  return r;
}

}  // namespace finsent::pipeline
