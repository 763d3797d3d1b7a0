// The plain warning train, eval and lab give when a model predicts one class for a whole split,
// with what helps for the way it was trained.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "finsent/eval/collapse.hpp"
#include "finsent/eval/metrics.hpp"

namespace finsent::pipeline {

struct CollapseWarning {
  eval::PredictionCollapse collapse;
  std::string message;  // one line: what the model does, why the scores mislead, what helps
};

// nullopt unless eval::find_collapse(report) finds a collapse. `split` names the examples in the
// message ("test sentences"). `how_trained` is the run's training_args.json document
// (to_json(TrainOptions)): the advice follows its freeze_encoder, standardize_features, head,
// learning_rate and epochs; null (not known) gives the advice for frozen and unfrozen encoders.
std::optional<CollapseWarning> collapse_warning(const eval::ClassificationReport& report,
                                                const std::string& split,
                                                const nlohmann::json& how_trained);

// null when there is no warning, else eval::to_json(collapse) plus "message": the "collapse"
// field of train's, eval's and lab's JSON.
nlohmann::json collapse_json(const std::optional<CollapseWarning>& warning);

// MODEL_DIR/training_args.json of a model finsent trained; null when there is none or it cannot be
// read as a JSON object (the advice is then the general one).
nlohmann::json read_training_args(const std::filesystem::path& model_dir);

}  // namespace finsent::pipeline
