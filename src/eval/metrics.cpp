// Metrics with scikit-learn's definitions (precision_recall_fscore_support, zero_division="warn").
#include "finsent/eval/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

#include "finsent/core/error.hpp"
#include "finsent/core/printable.hpp"

namespace finsent::eval {
namespace {

double ratio(int64_t num, int64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / den;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pad_left(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Above kPrintedConfusionMaxLabels labels: the most frequent off-diagonal cells instead of the
// matrix, whose rows would be labels x 8 characters wide.
std::string format_top_confusions(const ClassificationReport& r) {
  constexpr size_t kShown = 20;
  std::vector<ClassificationReport::Cell> off;
  for (const auto& c : r.confusion_entries)
    if (c.true_label != c.predicted) off.push_back(c);
  const size_t shown = std::min(kShown, off.size());
  std::partial_sort(off.begin(), off.begin() + static_cast<std::ptrdiff_t>(shown), off.end(),
                    [](const auto& a, const auto& b) {
                      return a.count != b.count ? a.count > b.count
                                                : std::make_pair(a.true_label, a.predicted) <
                                                      std::make_pair(b.true_label, b.predicted);
                    });
  std::string out =
      "\nconfusion matrix: not printed for " + std::to_string(r.labels.size()) +
      " labels (more than " + std::to_string(kPrintedConfusionMaxLabels) +
      "); the JSON output has it" +
      (r.labels.size() > kDenseConfusionMaxLabels ? " as confusion_matrix_sparse" : "") +
      ". Most frequent confusions (" + std::to_string(shown) + " of " + std::to_string(off.size()) +
      "):\n";
  for (size_t i = 0; i < shown; ++i)
    out += "  " + r.labels[static_cast<size_t>(off[i].true_label)] + " -> " +
           r.labels[static_cast<size_t>(off[i].predicted)] + ": " + std::to_string(off[i].count) +
           "\n";
  return out;
}

nlohmann::json class_json(const ClassMetrics& m) {
  return {{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"support", m.support}};
}

// The first kNamed names, then a count: a note stays one readable line with 10,000 labels.
std::string join(const std::vector<std::string>& v) {
  constexpr size_t kNamed = 20;
  std::string s;
  for (size_t i = 0; i < v.size() && i < kNamed; ++i) s += (s.empty() ? "" : ", ") + v[i];
  if (v.size() > kNamed) s += ", ... (" + std::to_string(v.size()) + " labels in all)";
  return s;
}

// precision_recall_fscore_support(average=None, zero_division="warn") from per-class counts, with
// its UndefinedMetricWarning cases as notes. Every label here occurs in y_true or y_pred, so F1's
// denominator 2tp + fp + fn is never 0.
void add_per_class(ClassificationReport& r, const std::vector<int64_t>& tp,
                   const std::vector<int64_t>& predicted, const std::vector<int64_t>& actual) {
  std::vector<std::string> no_pred;
  std::vector<std::string> no_true;
  for (size_t c = 0; c < r.labels.size(); ++c) {
    ClassMetrics m;
    m.precision = ratio(tp[c], predicted[c]);
    m.recall = ratio(tp[c], actual[c]);
    m.f1 = ratio(2 * tp[c], predicted[c] + actual[c]);  // sklearn >= 1.3: 2tp / (2tp + fp + fn)
    m.support = actual[c];
    if (predicted[c] == 0) no_pred.push_back(r.labels[c]);
    if (actual[c] == 0) no_true.push_back(r.labels[c]);
    r.per_class.push_back(m);
  }
  if (!no_pred.empty()) {
    r.notes.push_back(
        "Precision is ill-defined and being set to 0.0 in labels with no predicted samples: " +
        join(no_pred));
  }
  if (!no_true.empty()) {
    r.notes.push_back(
        "Recall is ill-defined and being set to 0.0 in labels with no true samples: " +
        join(no_true));
  }
}

// numpy.average as _nanaverage calls it: macro is sum / k over every reported label (the 0.0 of a
// 0/0 included, as zero_division="warn" gives); weighted is sum(value * support) / sum(support),
// so a label absent from y_true adds nothing. Sums run in label order (numpy's order below 8
// labels; above, numpy's pairwise sum may differ in the last bit).
void add_averages(ClassificationReport& r, int64_t n) {
  const auto k = static_cast<double>(r.labels.size());
  ClassMetrics sum, weighted;
  for (const auto& m : r.per_class) {
    sum.precision += m.precision;
    sum.recall += m.recall;
    sum.f1 += m.f1;
    const auto w = static_cast<double>(m.support);
    weighted.precision += m.precision * w;
    weighted.recall += m.recall * w;
    weighted.f1 += m.f1 * w;
  }
  const auto total = static_cast<double>(n);
  r.macro_avg = {sum.precision / k, sum.recall / k, sum.f1 / k, n};
  r.weighted_avg = {weighted.precision / total, weighted.recall / total, weighted.f1 / total, n};
}

// The report over `labels` (already scikit-learn's sorted union) from indices into it. Counts per
// class and per (true, predicted) cell in one pass: linear in samples + labels; the dense matrix
// is kept only up to kDenseConfusionMaxLabels labels.
ClassificationReport report_from_indices(const std::vector<size_t>& y_true,
                                         const std::vector<size_t>& y_pred,
                                         std::vector<std::string> labels) {
  const size_t k = labels.size();
  ClassificationReport r;
  r.labels = std::move(labels);
  std::vector<int64_t> tp(k, 0), predicted(k, 0), actual(k, 0);
  std::map<std::pair<size_t, size_t>, int64_t> cells;
  int64_t correct = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    const size_t t = y_true[i];
    const size_t p = y_pred[i];
    ++cells[{t, p}];
    ++predicted[p];
    ++actual[t];
    if (t == p) ++tp[t];
    correct += t == p;
  }
  for (const auto& [cell, count] : cells)
    r.confusion_entries.push_back(
        {static_cast<int>(cell.first), static_cast<int>(cell.second), count});
  if (k <= kDenseConfusionMaxLabels) {
    r.confusion_matrix.assign(k, std::vector<int64_t>(k, 0));
    for (const auto& c : r.confusion_entries)
      r.confusion_matrix[static_cast<size_t>(c.true_label)][static_cast<size_t>(c.predicted)] =
          c.count;
  }
  const auto n = static_cast<int64_t>(y_true.size());
  r.accuracy = ratio(correct, n);
  add_per_class(r, tp, predicted, actual);
  add_averages(r, n);
  return r;
}

}  // namespace

ClassificationReport classification_report(const std::vector<std::string>& y_true,
                                           const std::vector<std::string>& y_pred) {
  if (y_true.size() != y_pred.size()) {
    throw InputError("metrics: " + std::to_string(y_true.size()) + " true labels but " +
                     std::to_string(y_pred.size()) + " predictions");
  }
  if (y_true.empty()) throw InputError("metrics: no samples to score");
  // sklearn.utils.multiclass.unique_labels: the sorted union of y_true and y_pred.
  std::vector<std::string> labels(y_true);
  labels.insert(labels.end(), y_pred.begin(), y_pred.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  auto indices = [&](const std::vector<std::string>& y) {
    std::vector<size_t> out;
    out.reserve(y.size());
    for (const auto& label : y)
      out.push_back(static_cast<size_t>(std::lower_bound(labels.begin(), labels.end(), label) -
                                        labels.begin()));
    return out;
  };
  const auto true_indices = indices(y_true);
  const auto pred_indices = indices(y_pred);
  return report_from_indices(true_indices, pred_indices, std::move(labels));
}

ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels) {
  auto names = [&](const std::vector<int>& y) {
    std::vector<std::string> out;
    out.reserve(y.size());
    for (const int v : y) {
      if (v < 0 || static_cast<size_t>(v) >= labels.size()) {
        throw InputError("metrics: label index " + std::to_string(v) + " outside the " +
                         std::to_string(labels.size()) + " labels");
      }
      out.push_back(labels[static_cast<size_t>(v)]);
    }
    return out;
  };
  return classification_report(names(y_true), names(y_pred));
}

nlohmann::json to_json(const ClassificationReport& r) {
  nlohmann::json per_class = nlohmann::json::object();
  for (size_t c = 0; c < r.labels.size(); ++c) per_class[r.labels[c]] = class_json(r.per_class[c]);
  nlohmann::json doc = {{"accuracy", r.accuracy},
                        {"per_class", per_class},
                        {"macro_f1", r.macro_avg.f1},
                        {"weighted_f1", r.weighted_avg.f1},
                        {"macro_avg", class_json(r.macro_avg)},
                        {"weighted_avg", class_json(r.weighted_avg)},
                        {"confusion_matrix", r.confusion_matrix},
                        {"labels", r.labels},
                        {"notes", r.notes}};
  if (r.labels.size() > kDenseConfusionMaxLabels) {
    nlohmann::json sparse = nlohmann::json::array();
    for (const auto& c : r.confusion_entries)
      sparse.push_back({c.true_label, c.predicted, c.count});
    doc["confusion_matrix"] = nullptr;
    doc["confusion_matrix_sparse"] = std::move(sparse);
  }
  return doc;
}

std::string format_report(const ClassificationReport& report) {
  // Labels and notes come from the data: shown with terminal controls escaped.
  ClassificationReport r = report;
  for (auto& l : r.labels) l = printable(l);
  for (auto& n : r.notes) n = printable(n);
  constexpr int kDigits = 4;
  size_t width = std::string("weighted avg").size();
  for (const auto& l : r.labels) width = std::max(width, l.size());
  auto row = [&](const std::string& name, const ClassMetrics& m) {
    return pad_left(name, width) + " " + pad_left(fixed(m.precision, kDigits), 10) +
           pad_left(fixed(m.recall, kDigits), 10) + pad_left(fixed(m.f1, kDigits), 10) +
           pad_left(std::to_string(m.support), 10) + "\n";
  };
  std::string out = std::string(width, ' ') + " " + pad_left("precision", 10) +
                    pad_left("recall", 10) + pad_left("f1-score", 10) + pad_left("support", 10) +
                    "\n\n";
  for (size_t c = 0; c < r.labels.size(); ++c) out += row(r.labels[c], r.per_class[c]);
  out += "\n";
  out += pad_left("accuracy", width) + " " + std::string(20, ' ') +
         pad_left(fixed(r.accuracy, kDigits), 10) +
         pad_left(std::to_string(r.macro_avg.support), 10) + "\n";
  out += row("macro avg", r.macro_avg);
  out += row("weighted avg", r.weighted_avg);

  if (r.labels.size() <= kPrintedConfusionMaxLabels && !r.confusion_matrix.empty()) {
    out += "\nconfusion matrix (rows: true, columns: predicted)\n";
    size_t cell = 8;
    for (const auto& l : r.labels) cell = std::max(cell, l.size() + 1);
    out += std::string(width, ' ') + " ";
    for (const auto& l : r.labels) out += pad_left(l, cell);
    out += "\n";
    for (size_t t = 0; t < r.labels.size(); ++t) {
      out += pad_left(r.labels[t], width) + " ";
      for (int64_t v : r.confusion_matrix[t]) out += pad_left(std::to_string(v), cell);
      out += "\n";
    }
  } else {
    out += format_top_confusions(r);
  }
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace finsent::eval
