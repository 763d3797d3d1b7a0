// Multinomial Naive Bayes as scikit-learn's MultinomialNB(alpha=1.0, fit_prior=True).
#pragma once

#include <vector>

#include "finsent/baseline/sparse_matrix.hpp"

namespace finsent::baseline {

class MultinomialNB {
 public:
  explicit MultinomialNB(double alpha = 1.0) : alpha_(alpha) {}

  // y: class index per row of x, in [0, num_classes) (else InputError). Priors from class
  // frequencies.
  void fit(const SparseMatrix& x, const std::vector<int>& y, int num_classes);
  // Joint log-likelihood per row and class: [rows][num_classes].
  std::vector<std::vector<double>> joint_log_likelihood(const SparseMatrix& x) const;
  // argmax of the joint log-likelihood (the first class on ties, as numpy.argmax).
  std::vector<int> predict(const SparseMatrix& x) const;

 private:
  double alpha_;
  std::vector<double> class_log_prior_;
  std::vector<std::vector<double>> feature_log_prob_;  // [class][feature]
};

}  // namespace finsent::baseline
