// Tokenized examples and their dynamically padded batches.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "finsent/text/tokenizer.hpp"

namespace finsent::train {

// Token ids per text (with the tokenizer's special tokens), truncated to max_length tokens.
std::vector<std::vector<int64_t>> encode_texts(const text::Tokenizer& tokenizer,
                                               const std::vector<std::string>& texts,
                                               int64_t max_length);

struct Batch {
  torch::Tensor input_ids;       // [b, longest] int64, padded with pad_id
  torch::Tensor attention_mask;  // [b, longest] int64, 1 for tokens, 0 for padding
};

// The examples `index` of `ids`, padded to the longest of them (dynamic padding), on `device`
// (built on the CPU, then moved).
Batch collate(const std::vector<std::vector<int64_t>>& ids, const std::vector<size_t>& index,
              int64_t pad_id, torch::Device device = torch::kCPU);

}  // namespace finsent::train
