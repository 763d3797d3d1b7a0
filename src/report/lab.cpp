// run_lab: the stage loop with caching, failure isolation, progress and the report at the end.
#include "finsent/report/lab.hpp"

#include <chrono>
#include <fstream>

#include "finsent/core/error.hpp"
#include "finsent/io/atomic_file.hpp"
#include "finsent/report/number_format.hpp"
#include "finsent/report/render.hpp"
#include "finsent/train/run_lock.hpp"
#include "lab_report.hpp"
#include "lab_stages.hpp"

namespace finsent::report {
namespace fs = std::filesystem;
using nlohmann::json;

Recipe notebook_frozen_recipe(bool quick) {
  Recipe r;
  r.epochs = quick ? 2 : 16;
  r.batch_size = 16;
  r.learning_rate = 5e-5;
  r.head = "linear";
  r.freeze_encoder = true;
  return r;
}

Recipe improved_unfrozen_recipe(bool quick) {
  Recipe r;
  r.epochs = quick ? 1 : 3;
  r.batch_size = 16;
  r.learning_rate = 5e-5;
  r.weight_decay = 0.01;
  r.warmup = 0.1;
  r.head = "auto";
  r.group_by_length = true;
  return r;
}

const std::vector<std::string>& exercise_sentences() {
  static const std::vector<std::string> sentences = {
      "The company's quarterly profit rose sharply, beating analysts' expectations.",
      "Shares fell after the firm cut its full-year guidance.",
      "The board will meet on Tuesday to discuss the annual report."};
  return sentences;
}

bool LabResult::ok() const {
  for (const auto& s : stages) {
    if (s.state == StageState::Failed || s.state == StageState::Skipped) return false;
  }
  return true;
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The cached result when its recorded inputs equal `inputs`, else null.
json load_cached(const fs::path& file, const json& inputs) {
  std::ifstream in(file);
  if (!in) return nullptr;
  try {
    json doc = json::parse(in);
    if (doc.at("inputs") == inputs) return doc.at("result");
  } catch (const std::exception&) {
    // A torn or foreign file is simply not a cache hit; the stage runs again.
  }
  return nullptr;
}

}  // namespace

LabResult run_lab(const LabOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::ostream* out = options.progress;
  // One lab per folder: two would interleave models, stages and the report.
  const train::RunLock lock(options.out_dir, "finsent lab");
  fs::create_directories(options.out_dir / "stages");
  detail::LabContext context{options, std::nullopt, {}};
  LabResult result;
  const auto& stages = detail::lab_stages();
  for (size_t i = 0; i < stages.size(); ++i) {
    const auto& spec = stages[i];
    StageOutcome outcome{spec.name, spec.title, StageState::Skipped, 0, ""};
    const std::string tag =
        "[" + std::to_string(i + 1) + "/" + std::to_string(stages.size()) + "] ";
    bool upstream_ran = false;
    for (const auto& need : spec.needs) {
      for (const auto& prior : result.stages) {
        if (prior.name != need) continue;
        if (prior.state == StageState::Failed || prior.state == StageState::Skipped) {
          outcome.error = "needs stage '" + need + "', which did not complete";
        }
        upstream_ran = upstream_ran || prior.state == StageState::Ran;
      }
    }
    if (!outcome.error.empty()) {
      if (out) *out << tag << spec.title << ": skipped (" << outcome.error << ")\n";
      result.stages.push_back(outcome);
      continue;
    }
    const auto cache_file = options.out_dir / "stages" / (spec.name + ".json");
    const auto stage_start = std::chrono::steady_clock::now();
    try {
      const json inputs = spec.inputs(context);
      json cached =
          (options.force || upstream_ran) ? json(nullptr) : load_cached(cache_file, inputs);
      if (!cached.is_null()) {
        context.results[spec.name] = std::move(cached);
        outcome.state = StageState::Cached;
        if (out) *out << tag << spec.title << ": cached (" << cache_file.string() << ")\n";
      } else {
        if (out) *out << tag << spec.title << " ..." << std::endl;
        json stage_result = spec.run(context);
        io::write_file_atomic(cache_file,
                              json{{"inputs", inputs}, {"result", stage_result}}.dump(1));
        context.results[spec.name] = std::move(stage_result);
        outcome.state = StageState::Ran;
        outcome.seconds = seconds_since(stage_start);
        if (out)
          *out << tag << spec.title << ": done in " << format_seconds(outcome.seconds) << "\n";
      }
    } catch (const std::exception& e) {
      outcome.state = StageState::Failed;
      outcome.seconds = seconds_since(stage_start);
      outcome.error = e.what();
      // A failed stage must not leave an older result that a later run would take as current.
      std::error_code ec;
      fs::remove(cache_file, ec);
      if (out) *out << tag << spec.title << ": FAILED: " << outcome.error << "\n";
    }
    result.stages.push_back(outcome);
  }
  result.total_seconds = seconds_since(start);
  const Document doc =
      detail::lab_document(options, result.stages, context.results, result.total_seconds);
  const WrittenReport written = write_report(doc, options.out_dir);
  result.report_md = written.markdown;
  result.report_html = written.html;
  result.metrics_json = options.out_dir / "metrics.json";
  io::write_file_atomic(
      result.metrics_json,
      detail::lab_metrics(result.stages, context.results, result.total_seconds).dump(2) + "\n");
  if (out) {
    *out << "total " << format_seconds(result.total_seconds)
         << "; report: " << result.report_html.string() << "\n";
  }
  return result;
}

}  // namespace finsent::report
