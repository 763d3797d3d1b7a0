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
  // [true][predicted], dense up to kDenseConfusionMaxLabels labels; empty above (its k^2 cells
  // would dwarf everything else: 10,000 labels make 100 million), where confusion_entries holds
  // the non-zero cells instead.
  std::vector<std::vector<int64_t>> confusion_matrix;
  struct Cell {
    int true_label = 0;
    int predicted = 0;
    int64_t count = 0;
  };
  std::vector<Cell> confusion_entries;  // non-zero cells by (true, predicted); always filled
  // scikit-learn's UndefinedMetricWarning cases (a 0/0 set to 0), one line each.
  std::vector<std::string> notes;
};

// Above this many labels the confusion matrix is kept, written and printed sparsely.
inline constexpr size_t kDenseConfusionMaxLabels = 100;
// Above this many labels the text report lists the most frequent confusions, not the matrix.
inline constexpr size_t kPrintedConfusionMaxLabels = 30;

// scikit-learn's classification_report, precision_recall_fscore_support and confusion_matrix
// (labels=None, zero_division="warn") on label names: the labels are the sorted (byte order =
// Python's str order) union of y_true and y_pred, so a class present in only one of them is
// reported and one in neither is not. Precision of a label never predicted and recall of a label
// never true are 0.0 with a note (sklearn's UndefinedMetricWarning); the macro average is the
// mean over every reported label, the weighted average weighs by support. Time and memory linear
// in samples + labels (the dense matrix, when kept, adds labels^2 <= 10,000 cells). Throws
// InputError on a length mismatch or an empty input.
ClassificationReport classification_report(const std::vector<std::string>& y_true,
                                           const std::vector<std::string>& y_pred);

// The same report from indices into `labels` (a label encoder's or a model's list): the names are
// looked up and scored as above, so labels that occur in neither y_true nor y_pred are left out
// and the report's order is the sorted names'. Throws InputError also on an index outside labels.
ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels);

// {"accuracy", "per_class": {label: {precision, recall, f1, support}}, "macro_f1", "weighted_f1",
//  "macro_avg": {...}, "weighted_avg": {...}, "confusion_matrix", "labels", "notes"}; above
// kDenseConfusionMaxLabels labels "confusion_matrix" is null and "confusion_matrix_sparse" holds
// [[true index, predicted index, count], ...] (the non-zero cells), so the document stays linear
// in samples + labels.
nlohmann::json to_json(const ClassificationReport& report);

// Text like sklearn's classification_report (digits=4), then the confusion matrix and notes.
std::string format_report(const ClassificationReport& report);

}  // namespace finsent::eval
