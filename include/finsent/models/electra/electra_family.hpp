// The ELECTRA family (model_type "electra", the discriminator: google/electra-*-discriminator):
// ElectraConfig's defaults and own fields (embedding_size), the head of
// ElectraForSequenceClassification (dense -> gelu -> out_proj on [CLS]), and its registry entry.
#pragma once

#include "finsent/models/family.hpp"

namespace finsent::models {

// The registry's entry (src/models/registry.cpp).
ModelFamily electra_family();

}  // namespace finsent::models
