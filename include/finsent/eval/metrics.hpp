// Classification metrics with scikit-learn's semantics: accuracy, P/R/F1, averages, confusion
// matrix.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace finsent::eval {

struct ClassMetrics {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  int64_t support = 0;
};

struct ClassificationReport {
  double accuracy = 0;
  std::vector<std::string> labels;
  std::vector<ClassMetrics> per_class;  // same order as labels
  ClassMetrics macro_avg;
  ClassMetrics weighted_avg;
  std::vector<std::vector<int64_t>> confusion_matrix;  // [true][predicted]
  // scikit-learn's UndefinedMetricWarning cases (a 0/0 set to 0), one line each.
  std::vector<std::string> notes;
};

// y_true, y_pred: indices into labels, equal length. Precision/recall of a class with no
// predicted/true samples is 0 with a note (zero_division="warn"). Throws InputError on a length
// mismatch, an empty input or an index outside labels.
ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels);

// {"accuracy", "per_class": {label: {precision, recall, f1, support}}, "macro_f1", "weighted_f1",
//  "macro_avg": {...}, "weighted_avg": {...}, "confusion_matrix", "labels", "notes"}
nlohmann::json to_json(const ClassificationReport& report);

// Text like sklearn's classification_report (digits=4), then the confusion matrix and notes.
std::string format_report(const ClassificationReport& report);

}  // namespace finsent::eval
