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
  std::vector<std::string> labels;      // sorted union of the true and predicted labels
  std::vector<ClassMetrics> per_class;  // same order as labels
  ClassMetrics macro_avg;
  ClassMetrics weighted_avg;
  std::vector<std::vector<int64_t>> confusion_matrix;  // [true][predicted]
  // scikit-learn's UndefinedMetricWarning cases (a 0/0 set to 0), one line each.
  std::vector<std::string> notes;
};

// scikit-learn's classification_report, precision_recall_fscore_support and confusion_matrix
// (labels=None, zero_division="warn") on label names: the labels are the sorted (byte order =
// Python's str order) union of y_true and y_pred, so a class present in only one of them is
// reported and one in neither is not. Precision of a label never predicted and recall of a label
// never true are 0.0 with a note (sklearn's UndefinedMetricWarning); the macro average is the
// mean over every reported label, the weighted average weighs by support. Throws InputError on
// a length mismatch or an empty input.
ClassificationReport classification_report(const std::vector<std::string>& y_true,
                                           const std::vector<std::string>& y_pred);

// The same report from indices into `labels` (a label encoder's or a model's list): the names are
// looked up and scored as above, so labels that occur in neither y_true nor y_pred are left out
// and the report's order is the sorted names'. Throws InputError also on an index outside labels.
ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels);

// {"accuracy", "per_class": {label: {precision, recall, f1, support}}, "macro_f1", "weighted_f1",
//  "macro_avg": {...}, "weighted_avg": {...}, "confusion_matrix", "labels", "notes"}
nlohmann::json to_json(const ClassificationReport& report);

// Text like sklearn's classification_report (digits=4), then the confusion matrix and notes.
std::string format_report(const ClassificationReport& report);

}  // namespace finsent::eval
