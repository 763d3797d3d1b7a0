// Metrics with scikit-learn's definitions (precision_recall_fscore_support, zero_division="warn").
#include "finsent/eval/metrics.hpp"

#include <algorithm>
#include <cstdio>

#include "finsent/core/error.hpp"

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

nlohmann::json class_json(const ClassMetrics& m) {
  return {{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"support", m.support}};
}

}  // namespace

ClassificationReport classification_report(const std::vector<int>& y_true,
                                           const std::vector<int>& y_pred,
                                           const std::vector<std::string>& labels) {
  if (y_true.size() != y_pred.size()) {
    throw InputError("metrics: " + std::to_string(y_true.size()) + " true labels but " +
                     std::to_string(y_pred.size()) + " predictions");
  }
  if (y_true.empty()) throw InputError("metrics: no samples to score");
  const size_t k = labels.size();
  ClassificationReport r;
  r.labels = labels;
  r.confusion_matrix.assign(k, std::vector<int64_t>(k, 0));
  int64_t correct = 0;
  for (size_t i = 0; i < y_true.size(); ++i) {
    const int t = y_true[i];
    const int p = y_pred[i];
    if (t < 0 || p < 0 || static_cast<size_t>(t) >= k || static_cast<size_t>(p) >= k) {
      throw InputError("metrics: label index outside the " + std::to_string(k) + " labels");
    }
    ++r.confusion_matrix[static_cast<size_t>(t)][static_cast<size_t>(p)];
    correct += t == p;
  }
  const auto n = static_cast<int64_t>(y_true.size());
  r.accuracy = ratio(correct, n);

  std::vector<std::string> no_pred;
  std::vector<std::string> no_true;
  std::vector<std::string> neither;
  for (size_t c = 0; c < k; ++c) {
    int64_t tp = r.confusion_matrix[c][c];
    int64_t predicted = 0;
    int64_t actual = 0;
    for (size_t o = 0; o < k; ++o) {
      predicted += r.confusion_matrix[o][c];
      actual += r.confusion_matrix[c][o];
    }
    ClassMetrics m;
    m.precision = ratio(tp, predicted);
    m.recall = ratio(tp, actual);
    // sklearn >= 1.3 computes F1 as 2tp / (2tp + fp + fn); 0/0 is 0.
    m.f1 = ratio(2 * tp, predicted + actual);
    m.support = actual;
    if (predicted == 0) no_pred.push_back(labels[c]);
    if (actual == 0) no_true.push_back(labels[c]);
    if (predicted == 0 && actual == 0) neither.push_back(labels[c]);
    r.per_class.push_back(m);
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
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
  if (!neither.empty()) {
    r.notes.push_back(
        "F-score is ill-defined and being set to 0.0 in labels with no true nor predicted "
        "samples: " +
        join(neither));
  }
  for (const auto& m : r.per_class) {
    r.macro_avg.precision += m.precision / static_cast<double>(k);
    r.macro_avg.recall += m.recall / static_cast<double>(k);
    r.macro_avg.f1 += m.f1 / static_cast<double>(k);
    const double w = static_cast<double>(m.support) / static_cast<double>(n);
    r.weighted_avg.precision += m.precision * w;
    r.weighted_avg.recall += m.recall * w;
    r.weighted_avg.f1 += m.f1 * w;
  }
  r.macro_avg.support = r.weighted_avg.support = n;
  return r;
}

nlohmann::json to_json(const ClassificationReport& r) {
  nlohmann::json per_class = nlohmann::json::object();
  for (size_t c = 0; c < r.labels.size(); ++c) per_class[r.labels[c]] = class_json(r.per_class[c]);
  return {{"accuracy", r.accuracy},
          {"per_class", per_class},
          {"macro_f1", r.macro_avg.f1},
          {"weighted_f1", r.weighted_avg.f1},
          {"macro_avg", class_json(r.macro_avg)},
          {"weighted_avg", class_json(r.weighted_avg)},
          {"confusion_matrix", r.confusion_matrix},
          {"labels", r.labels},
          {"notes", r.notes}};
}

std::string format_report(const ClassificationReport& r) {
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
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace finsent::eval
