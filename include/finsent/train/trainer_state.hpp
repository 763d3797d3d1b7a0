// Where a run stands: steps, data-order position, best metric, history (trainer_state.json).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

namespace finsent::train {

struct TrainerState {
  int64_t global_step = 0;     // optimizer steps done
  int64_t epoch = 0;           // epochs completed
  int64_t batch_in_epoch = 0;  // batches of epoch `epoch` already consumed (0 at an epoch boundary)
  int64_t world_size = 1;      // ranks of the run that made batch_in_epoch (per-rank batches)
  std::optional<double> best_metric;
  int64_t best_epoch = 0;  // 1-based; 0 when no evaluation happened
  int64_t epochs_without_improvement = 0;
  double train_seconds = 0;  // wall time spent training, summed over resumed sessions
  nlohmann::json log_history = nlohmann::json::array();  // one object per logged step/evaluation
  nlohmann::json fingerprint;  // trajectory_fingerprint of the options that made this run
};

nlohmann::json to_json(const TrainerState& s);
// Throws WeightsError for a document that lacks a field.
TrainerState trainer_state_from_json(const nlohmann::json& doc);

}  // namespace finsent::train
