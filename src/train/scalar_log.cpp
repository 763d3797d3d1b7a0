// One call logs a scalar three ways; values keep full precision in the text copies.
#include "finsent/train/scalar_log.hpp"

#include <chrono>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "finsent/core/error.hpp"

namespace finsent::train {

ScalarLog::ScalarLog(const std::filesystem::path& logdir) : events_(logdir), logdir_(logdir) {
  const auto csv_path = logdir / "scalars.csv";
  const bool fresh = !std::filesystem::exists(csv_path);
  csv_.open(csv_path, std::ios::app);
  jsonl_.open(logdir / "scalars.jsonl", std::ios::app);
  if (!csv_ || !jsonl_)
    throw IoError(logdir.string() + ": cannot create scalars.csv/scalars.jsonl");
  if (fresh) csv_ << "step,tag,value,wall_time\n" << std::flush;
}

void ScalarLog::add(std::string_view tag, double value, int64_t step) {
  const double wall_time =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  events_.add_scalar(tag, static_cast<float>(value), step, wall_time);
  csv_ << step << ',' << tag << ',' << std::setprecision(9) << value << ',' << std::fixed
       << std::setprecision(3) << wall_time << std::defaultfloat << '\n'
       << std::flush;
  nlohmann::json row = {{"step", step}, {"tag", tag}, {"value", value}, {"wall_time", wall_time}};
  jsonl_ << row.dump() << '\n' << std::flush;
  if (!csv_ || !jsonl_) throw IoError(logdir_.string() + ": cannot write scalar logs");
}

}  // namespace finsent::train
