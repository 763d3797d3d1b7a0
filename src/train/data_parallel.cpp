// The rank-aware pieces of the training loop (see data_parallel.hpp).
#include "finsent/train/data_parallel.hpp"

#include <cmath>
#include <limits>

#include "finsent/train/batching.hpp"
#include "finsent/train/distributed_sampler.hpp"

namespace finsent::train {

void DataParallel::broadcast_module(torch::nn::Module& module) {
  torch::NoGradGuard no_grad;
  for (auto tensors : {module.parameters(), module.buffers()})
    for (auto& t : tensors) {
      auto data = t.detach();
      group_.broadcast(data, 0);
    }
}

std::vector<std::vector<size_t>> DataParallel::epoch_batches(size_t n, size_t batch_size,
                                                             uint64_t seed, int64_t epoch) const {
  DistributedSampler sampler(static_cast<int64_t>(n), world_size(), rank(), /*shuffle=*/true, seed);
  sampler.set_epoch(epoch);
  const std::vector<int64_t> indices = sampler.indices();
  return chunk_into_batches(std::vector<size_t>(indices.begin(), indices.end()), batch_size);
}

int64_t DataParallel::batches_per_epoch(size_t n, size_t batch_size) const {
  const DistributedSampler sampler(static_cast<int64_t>(n), world_size(), rank());
  return (sampler.num_samples() + static_cast<int64_t>(batch_size) - 1) /
         static_cast<int64_t>(batch_size);
}

double DataParallel::agree_on_loss(double loss) {
  const bool finite = std::isfinite(loss);
  // [sum of finite losses, count of non-finite ones]
  auto t = torch::tensor({finite ? loss : 0.0, finite ? 0.0 : 1.0}, torch::kFloat64);
  group_.allreduce_sum(t);
  const auto sums = t.accessor<double, 1>();
  if (sums[1] > 0) return std::numeric_limits<double>::quiet_NaN();
  return sums[0] / world_size();
}

void DataParallel::reduce_gradients_of(std::vector<torch::Tensor> params,
                                       std::vector<bool> sparse) {
  reducer_ = std::make_unique<GradientReducer>(group_, std::move(params), std::move(sparse));
}

torch::Tensor DataParallel::sharded_rows(
    size_t n, const std::function<torch::Tensor(const std::vector<size_t>&)>& compute) {
  const auto world = static_cast<size_t>(world_size());
  const size_t per_rank = (n + world - 1) / world;
  std::vector<size_t> shard;
  for (size_t k = 0; k < per_rank; ++k)
    shard.push_back((static_cast<size_t>(rank()) + k * world) % n);
  const torch::Tensor mine = compute(shard).contiguous();
  const auto all = group_.allgather(mine);  // all[r][k] is example r + k * world
  return torch::stack(all, 1)
      .reshape({static_cast<int64_t>(per_rank * world), -1})
      .slice(0, 0, static_cast<int64_t>(n));
}

}  // namespace finsent::train
