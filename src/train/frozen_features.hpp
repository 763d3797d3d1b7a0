// The frozen encoder's head inputs, computed once before a frozen run trains its head.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "finsent/models/sequence_classifier.hpp"

namespace finsent::train {

// model.features() of every example ids[i] (token ids with special tokens) in inference mode
// (bf16 autocast when asked), batched by `batch_size` over examples sorted by length and padded
// with `pad_id`: [ids.size(), features] float32, row i for example i, usable as a constant input
// to autograd, on the model's device. Undefined when ids is empty. Leaves the model in eval mode.
torch::Tensor cached_features(models::SequenceClassifierImpl& model,
                              const std::vector<std::vector<int64_t>>& ids, int64_t batch_size,
                              int64_t pad_id, bool bf16);

}  // namespace finsent::train
