// MultinomialNB: smoothed per-class feature totals, log priors from class frequencies.
#include "finsent/baseline/multinomial_nb.hpp"

#include <cmath>

#include "finsent/core/error.hpp"

namespace finsent::baseline {

void MultinomialNB::fit(const SparseMatrix& x, const std::vector<int>& y, int num_classes) {
  if (x.rows() != y.size()) throw InputError("naive bayes: rows and labels differ in count");
  if (x.rows() == 0) throw InputError("naive bayes: no training rows");
  const auto k = static_cast<size_t>(num_classes);
  const auto f = static_cast<size_t>(x.cols);
  std::vector<std::vector<double>> feature_count(k, std::vector<double>(f, 0.0));
  std::vector<double> class_count(k, 0.0);
  for (size_t r = 0; r < x.rows(); ++r) {
    if (y[r] < 0 || y[r] >= num_classes) {
      throw InputError("naive bayes: class index " + std::to_string(y[r]) + " outside [0, " +
                       std::to_string(num_classes) + ")");
    }
    const auto c = static_cast<size_t>(y[r]);
    class_count[c] += 1.0;
    for (auto i = x.row_ptr[r]; i < x.row_ptr[r + 1]; ++i) {
      feature_count[c][static_cast<size_t>(x.indices[static_cast<size_t>(i)])] +=
          x.values[static_cast<size_t>(i)];
    }
  }
  const double n = static_cast<double>(x.rows());
  class_log_prior_.assign(k, 0.0);
  feature_log_prob_.assign(k, std::vector<double>(f, 0.0));
  for (size_t c = 0; c < k; ++c) {
    class_log_prior_[c] = std::log(class_count[c]) - std::log(n);
    double total = 0;
    for (double v : feature_count[c]) total += v + alpha_;
    const double log_total = std::log(total);
    for (size_t j = 0; j < f; ++j) {
      feature_log_prob_[c][j] = std::log(feature_count[c][j] + alpha_) - log_total;
    }
  }
}

std::vector<std::vector<double>> MultinomialNB::joint_log_likelihood(const SparseMatrix& x) const {
  std::vector<std::vector<double>> out(x.rows(), class_log_prior_);
  for (size_t r = 0; r < x.rows(); ++r) {
    for (size_t c = 0; c < class_log_prior_.size(); ++c) {
      double s = 0;
      for (auto i = x.row_ptr[r]; i < x.row_ptr[r + 1]; ++i) {
        s += x.values[static_cast<size_t>(i)] *
             feature_log_prob_[c][static_cast<size_t>(x.indices[static_cast<size_t>(i)])];
      }
      out[r][c] += s;
    }
  }
  return out;
}

std::vector<int> MultinomialNB::predict(const SparseMatrix& x) const {
  std::vector<int> pred;
  for (const auto& row : joint_log_likelihood(x)) {
    int best = 0;
    for (size_t c = 1; c < row.size(); ++c) {
      if (row[c] > row[static_cast<size_t>(best)]) best = static_cast<int>(c);
    }
    pred.push_back(best);
  }
  return pred;
}

}  // namespace finsent::baseline
