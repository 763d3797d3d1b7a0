// Dynamic padding: each batch is as wide as its longest sentence, not as max_length.
#include "finsent/train/batch.hpp"

#include <algorithm>

namespace finsent::train {

std::vector<std::vector<int64_t>> encode_texts(const text::Tokenizer& tokenizer,
                                               const std::vector<std::string>& texts,
                                               int64_t max_length) {
  text::EncodeOptions options = tokenizer.default_options();  // Transformers' sides
  options.max_length = static_cast<size_t>(max_length);
  const auto encodings = tokenizer.encode_batch(texts, options);
  std::vector<std::vector<int64_t>> ids;
  ids.reserve(encodings.size());
  for (const auto& e : encodings) ids.push_back(e.ids);
  return ids;
}

Batch collate(const std::vector<std::vector<int64_t>>& ids, const std::vector<size_t>& index,
              int64_t pad_id, torch::Device device) {
  size_t longest = 0;
  for (size_t i : index) longest = std::max(longest, ids[i].size());
  const auto b = static_cast<int64_t>(index.size());
  const auto s = static_cast<int64_t>(longest);
  auto input_ids = torch::full({b, s}, pad_id, torch::kInt64);
  auto mask = torch::zeros({b, s}, torch::kInt64);
  auto id_acc = input_ids.accessor<int64_t, 2>();
  auto mask_acc = mask.accessor<int64_t, 2>();
  for (int64_t r = 0; r < b; ++r) {
    const auto& row = ids[index[static_cast<size_t>(r)]];
    for (size_t c = 0; c < row.size(); ++c) {
      id_acc[r][static_cast<int64_t>(c)] = row[c];
      mask_acc[r][static_cast<int64_t>(c)] = 1;
    }
  }
  // Page-locked host buffers let the copies to the device run asynchronously (no host sync).
  if (!device.is_cpu())
    return {input_ids.pin_memory().to(device, /*non_blocking=*/true),
            mask.pin_memory().to(device, /*non_blocking=*/true)};
  return {input_ids, mask};
}

}  // namespace finsent::train
