// JSON form of TrainerState; field names follow Trainer's trainer_state.json where it has them.
#include "finsent/train/trainer_state.hpp"

#include "finsent/core/error.hpp"

namespace finsent::train {

nlohmann::json to_json(const TrainerState& s) {
  return {{"global_step", s.global_step},
          {"epoch", s.epoch},
          {"batch_in_epoch", s.batch_in_epoch},
          {"world_size", s.world_size},
          {"best_metric", s.best_metric ? nlohmann::json(*s.best_metric) : nlohmann::json(nullptr)},
          {"best_epoch", s.best_epoch},
          {"epochs_without_improvement", s.epochs_without_improvement},
          {"train_seconds", s.train_seconds},
          {"log_history", s.log_history},
          {"fingerprint", s.fingerprint}};
}

TrainerState trainer_state_from_json(const nlohmann::json& doc) {
  try {
    TrainerState s;
    s.global_step = doc.at("global_step").get<int64_t>();
    s.epoch = doc.at("epoch").get<int64_t>();
    s.batch_in_epoch = doc.at("batch_in_epoch").get<int64_t>();
    s.world_size = doc.value("world_size", int64_t{1});  // absent before data-parallel runs
    if (!doc.at("best_metric").is_null()) s.best_metric = doc.at("best_metric").get<double>();
    s.best_epoch = doc.at("best_epoch").get<int64_t>();
    s.epochs_without_improvement = doc.at("epochs_without_improvement").get<int64_t>();
    s.train_seconds = doc.at("train_seconds").get<double>();
    s.log_history = doc.at("log_history");
    s.fingerprint = doc.at("fingerprint");
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw WeightsError(std::string("trainer_state.json: ") + e.what());
  }
}

}  // namespace finsent::train
