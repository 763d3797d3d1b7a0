// The lab's stages (internal): each turns the options and earlier stages' results into one JSON
// document, the unit that is cached in out/stages/<name>.json.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "finsent/data/split.hpp"
#include "finsent/report/lab.hpp"

namespace finsent::report::detail {

struct LabContext {
  const LabOptions& options;
  std::optional<data::Split> split;               // loaded on first use
  std::map<std::string, nlohmann::json> results;  // stage name -> result of this run or the cache
  const data::Split& get_split();
};

struct StageSpec {
  std::string name;
  std::string title;
  std::vector<std::string> needs;  // stages whose results this one reads
  // What the result depends on besides the stages it needs (compared with the cache's copy).
  nlohmann::json (*inputs)(LabContext&);
  nlohmann::json (*run)(LabContext&);
};

// In order: stats, baseline, tokenizer, lengths, train-frozen, train-unfrozen, eval-frozen,
// eval-unfrozen, predict.
const std::vector<StageSpec>& lab_stages();

// MAX_LEN from the length statistics: the smallest multiple of 8 keeping 99.9% of the training
// sentences whole, capped at the model's limit.
int64_t choose_max_len(int64_t max_len_999, int64_t model_limit);

}  // namespace finsent::report::detail
