// The frozen encoder's head inputs for a whole split, batched by length in inference mode.
#include "frozen_features.hpp"

#include <algorithm>

#include "finsent/train/autocast.hpp"
#include "finsent/train/batch.hpp"

namespace finsent::train {

torch::Tensor cached_features(models::SequenceClassifierImpl& model,
                              const std::vector<std::vector<int64_t>>& ids, int64_t batch_size,
                              int64_t pad_id, bool bf16) {
  if (ids.empty()) return {};
  // Sorted by length so batches pad little; rows are put back in example order.
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ids[a].size() < ids[b].size(); });
  std::vector<torch::Tensor> parts;
  std::vector<int64_t> rows;
  model.eval();
  const torch::Device device = model.device();
  {
    c10::InferenceMode guard;
    AutocastBf16 autocast(bf16, device.type());
    for (size_t begin = 0; begin < order.size(); begin += static_cast<size_t>(batch_size)) {
      std::vector<size_t> index(
          order.begin() + static_cast<std::ptrdiff_t>(begin),
          order.begin() + static_cast<std::ptrdiff_t>(
                              std::min(order.size(), begin + static_cast<size_t>(batch_size))));
      const Batch b = collate(ids, index, pad_id, device);
      parts.push_back(model.features(b.input_ids, b.attention_mask).to(torch::kFloat32));
      for (size_t i : index) rows.push_back(static_cast<int64_t>(i));
    }
  }
  // Cloned outside inference mode so autograd may use them as (constant) inputs.
  auto sorted = torch::cat(parts).clone();
  auto features = torch::empty_like(sorted);
  features.index_copy_(0, torch::tensor(rows, torch::kInt64).to(device), sorted);
  return features;
}

}  // namespace finsent::train
