// What the training loop does differently as one rank of a data-parallel run (DDP + Trainer's
// semantics): rank 0's weights everywhere at the start, DistributedSampler's share of each epoch,
// gradients averaged over the ranks (GradientReducer), losses and non-finite checks agreed by all
// ranks, frozen-encoder features computed on shards and gathered, and rank 0 alone writing.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "finsent/train/gradient_reducer.hpp"
#include "finsent/train/process_group.hpp"

namespace finsent::train {

class DataParallel {
 public:
  explicit DataParallel(ProcessGroup& group) : group_(group) {}

  int rank() const { return group_.rank(); }
  int world_size() const { return group_.world_size(); }
  // Rank 0 writes checkpoints, event files, metrics and the model; the others write nothing.
  bool writes() const { return rank() == 0; }

  // Copies rank 0's parameters and buffers into this rank's module (DDP does this at
  // construction), so a head initialized differently anywhere cannot make the ranks diverge.
  void broadcast_module(torch::nn::Module& module);

  // This rank's batches of epoch `epoch` (0-based): DistributedSampler(n, world_size, rank,
  // shuffle=true, seed).set_epoch(epoch)'s indices, in order, cut into batches of batch_size (the
  // last one shorter). Every rank gets the same number of batches.
  std::vector<std::vector<size_t>> epoch_batches(size_t n, size_t batch_size, uint64_t seed,
                                                 int64_t epoch) const;
  // The number of batches epoch_batches gives each rank.
  int64_t batches_per_epoch(size_t n, size_t batch_size) const;

  // One micro-batch's loss on this rank -> the mean over the ranks, NaN when any rank's is not
  // finite: every rank then stops at the same step. A collective: every rank calls it.
  double agree_on_loss(double loss);

  // Arms gradient averaging for `params` (the optimizer's; `sparse[i]` for sparse gradients).
  void reduce_gradients_of(std::vector<torch::Tensor> params, std::vector<bool> sparse);
  GradientReducer& reducer() { return *reducer_; }

  // Rows computed by `compute` for this rank's shard of n examples (indices rank, rank + world,
  // ..., padded to equal length by repeating from the start, as DistributedSampler without
  // shuffle), gathered from every rank into [n, ...] in example order.
  torch::Tensor sharded_rows(
      size_t n, const std::function<torch::Tensor(const std::vector<size_t>&)>& compute);

  ProcessGroup& group() { return group_; }

 private:
  ProcessGroup& group_;
  std::unique_ptr<GradientReducer> reducer_;
};

}  // namespace finsent::train
