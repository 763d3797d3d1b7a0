// The RoBERTa family (model_type "roberta": RoBERTa, DistilRoBERTa, FinBERT-tone-like RoBERTa
// checkpoints; aliases "xlm-roberta" and "camembert", whose modeling is RoBERTa's): its config
// (BertConfig's fields, BertFields), the head of RobertaForSequenceClassification
// (dense -> tanh -> out_proj on <s>), and its registry entry.
#pragma once

#include "finsent/models/family.hpp"

namespace finsent::models {

// The registry's entry (src/models/registry.cpp).
ModelFamily roberta_family();

}  // namespace finsent::models
