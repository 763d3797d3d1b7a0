// The MPNet family (model_type "mpnet": microsoft/mpnet-base, sentence-transformers'
// all-mpnet-base-v2): MPNetConfig's names, defaults and own field (relative_attention_num_buckets),
// the head of MPNetForSequenceClassification (dense -> tanh -> out_proj on <s>), and its registry
// entry.
#pragma once

#include "finsent/models/family.hpp"

namespace finsent::models {

// The registry's entry (src/models/registry.cpp).
ModelFamily mpnet_family();

}  // namespace finsent::models
