// The two scores model selection uses each epoch: accuracy and macro-F1.
#pragma once

#include <vector>

namespace finsent::train {

struct SelectionScores {
  double accuracy = 0;
  double macro_f1 = 0;  // mean F1 over the classes present in y_true or y_pred (sklearn's default)
};

// y_true and y_pred: class ids of equal length.
SelectionScores selection_scores(const std::vector<int>& y_true, const std::vector<int>& y_pred);

}  // namespace finsent::train
