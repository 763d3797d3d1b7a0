// Where fine-tuning starts: the checkpoint's trained head with its rows taken by label name, or a
// new head for the data's labels, and what the user is told about it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "finsent/models/sequence_classifier.hpp"

namespace finsent::models {

struct FineTuneStart {
  SequenceClassifier model{nullptr};  // eval mode; labels() == the data's labels, in their order
  // The checkpoint's trained head is kept (its final layer's rows reordered to the labels' order).
  bool head_kept = false;
  // A trained head of the checkpoint was set aside: its labels are not the data's, or another head
  // was asked for. `message` is then a warning.
  bool head_replaced = false;
  std::vector<std::string> initialized;  // model tensor names given new values
  std::string message;                   // one line for the user on what happened to the head
};

// Loads `dir` for training a classifier over `labels` (the data's label names, in the order the
// trained model will keep as id2label), as Transformers' run_glue does:
//  - the checkpoint has a trained head of the requested type (`head`: auto or a head's name; see
//    head_resolution.hpp) whose id2label holds exactly the data's label names: the head is kept
//    and the rows of its final layer (weight and bias) are permuted into `labels`' order, so it
//    predicts what it predicted before, under the same names;
//  - it has a trained head for other label names, another number of labels, or of another type
//    than `head`: the head is re-initialized for `labels` (normal(0, initializer_range) weights,
//    zero biases) and the message, a warning, names the tensors and why;
//  - it has no trained head (a base encoder): a new head, as load_sequence_classifier makes it,
//    and the message names the tensors initialized.
// The pooler of a base encoder is kept (it is the encoder's); one the checkpoint lacks is newly
// initialized and named. Draws from torch's global generator exactly as
// load_sequence_classifier(dir, {labels, head, linear_dropout, require_trained_head = false})
// does when the checkpoint has no head. Throws what load_sequence_classifier throws.
FineTuneStart start_fine_tuning(const std::filesystem::path& dir,
                                const std::vector<std::string>& labels, const std::string& head,
                                double linear_dropout);

}  // namespace finsent::models
