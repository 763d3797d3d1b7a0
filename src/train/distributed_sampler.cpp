// torch.utils.data.DistributedSampler's index arithmetic, with LibTorch's own randperm.
#include "finsent/train/distributed_sampler.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <numeric>
#include <string>

#include "finsent/core/error.hpp"

namespace finsent::train {

DistributedSampler::DistributedSampler(int64_t dataset_size, int64_t num_replicas, int64_t rank,
                                       bool shuffle, uint64_t seed, bool drop_last)
    : dataset_size_(dataset_size),
      num_replicas_(num_replicas),
      rank_(rank),
      shuffle_(shuffle),
      seed_(seed),
      drop_last_(drop_last) {
  if (num_replicas < 1)
    throw InputError("distributed sampler: num_replicas must be at least 1, not " +
                     std::to_string(num_replicas));
  if (rank < 0 || rank >= num_replicas)
    throw InputError("distributed sampler: invalid rank " + std::to_string(rank) +
                     ", rank should be in the interval [0, " + std::to_string(num_replicas - 1) +
                     "]");
  if (dataset_size < 0)
    throw InputError("distributed sampler: dataset size must not be negative, not " +
                     std::to_string(dataset_size));
  // torch: drop_last and a remainder give ceil((n - R) / R) (= floor(n / R), 0 when n < R);
  // otherwise ceil(n / R).
  num_samples_ =
      drop_last ? dataset_size / num_replicas : (dataset_size + num_replicas - 1) / num_replicas;
}

std::vector<int64_t> DistributedSampler::epoch_order() const {
  std::vector<int64_t> order(static_cast<size_t>(dataset_size_));
  if (!shuffle_) {
    std::iota(order.begin(), order.end(), int64_t{0});
    return order;
  }
  // Python: g = torch.Generator(); g.manual_seed(seed + epoch); torch.randperm(n, generator=g).
  auto generator = at::detail::createCPUGenerator(seed_ + static_cast<uint64_t>(epoch_));
  const auto perm = torch::randperm(dataset_size_, generator, torch::kLong);
  const int64_t* data = perm.data_ptr<int64_t>();
  std::copy(data, data + dataset_size_, order.begin());
  return order;
}

std::vector<int64_t> DistributedSampler::indices() const {
  std::vector<int64_t> order = epoch_order();
  const auto total = static_cast<size_t>(total_size());
  if (drop_last_) {
    order.resize(total);
  } else {
    // Repeat the order from its start until it is total_size long (several times when n is
    // smaller than the padding: torch's `(indices * ceil(padding / n))[:padding]`).
    const size_t n = order.size();
    order.reserve(total);
    for (size_t i = n; i < total; ++i) order.push_back(order[i - n]);
  }
  std::vector<int64_t> mine;
  mine.reserve(static_cast<size_t>(num_samples_));
  for (size_t i = static_cast<size_t>(rank_); i < total; i += static_cast<size_t>(num_replicas_))
    mine.push_back(order[i]);
  return mine;
}

}  // namespace finsent::train
