// Builds the lab's report Document from the stages' results (internal).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "finsent/report/document.hpp"
#include "finsent/report/lab.hpp"

namespace finsent::report::detail {

// `results` holds the JSON of every stage that ran or was cached; a missing stage's section says
// that it did not run and why (from `stages`).
Document lab_document(const LabOptions& options, const std::vector<StageOutcome>& stages,
                      const std::map<std::string, nlohmann::json>& results, double total_seconds);

// metrics.json: stage outcomes, the baseline's and both models' test metrics, the comparison rows.
nlohmann::json lab_metrics(const std::vector<StageOutcome>& stages,
                           const std::map<std::string, nlohmann::json>& results,
                           double total_seconds);

}  // namespace finsent::report::detail
