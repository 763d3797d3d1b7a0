// Training scalars to TensorBoard event files plus plain CSV and JSONL copies of the same values.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "finsent/train/event_writer.hpp"

namespace finsent::train {

// Logs (tag, value, step) to `<logdir>/events.out.tfevents.*`, `<logdir>/scalars.csv`
// (header `step,tag,value,wall_time`) and `<logdir>/scalars.jsonl`
// ({"step","tag","value","wall_time"}). CSV/JSONL are appended to, so a resumed run continues the
// same files; a resumed run opens a new event file next to the old one, which TensorBoard merges.
class ScalarLog {
 public:
  explicit ScalarLog(const std::filesystem::path& logdir);
  void add(std::string_view tag, double value, int64_t step);
  const std::filesystem::path& event_file() const { return events_.path(); }

 private:
  EventWriter events_;
  std::ofstream csv_, jsonl_;
  std::filesystem::path logdir_;
};

}  // namespace finsent::train
