// Which dataset indices each process of a data-parallel run trains on, as torch's
// DistributedSampler hands them out.
#pragma once

#include <cstdint>
#include <vector>

namespace finsent::train {

// Mirrors torch.utils.data.DistributedSampler(dataset, num_replicas, rank, shuffle, seed,
// drop_last) index for index (tests/fixtures/train/distributed_sampler.json, written by
// tools/make_distributed_sampler_fixture.py from torch 2.15):
//   1. order: with shuffle, torch::randperm(dataset_size) drawn from a CPU generator seeded with
//      seed + epoch (Python's torch.Generator().manual_seed(seed + epoch)); else 0..n-1;
//   2. without drop_last, the order is padded to total_size() by repeating it from its start
//      (as many times as needed when the padding exceeds the dataset); with drop_last, its tail
//      is cut to total_size();
//   3. this rank keeps order[rank], order[rank + num_replicas], ... (num_samples() indices).
// Every rank therefore gets the same number of indices, and one epoch's global batch is
// num_replicas x the per-process batch. Without drop_last the ranks' indices together cover the
// whole dataset (a few indices twice); with drop_last, dataset_size % num_replicas are skipped.
class DistributedSampler {
 public:
  // Throws InputError when num_replicas < 1 or rank is outside [0, num_replicas), or when
  // dataset_size < 0.
  DistributedSampler(int64_t dataset_size, int64_t num_replicas, int64_t rank, bool shuffle = true,
                     uint64_t seed = 0, bool drop_last = false);

  // Selects the epoch's order (shuffle only): call at the start of each epoch, as with torch's.
  void set_epoch(int64_t epoch) { epoch_ = epoch; }
  int64_t epoch() const { return epoch_; }

  // Indices per rank: ceil(n / num_replicas), or floor(n / num_replicas) with drop_last.
  int64_t num_samples() const { return num_samples_; }
  // num_samples() x num_replicas: the padded (or cut) length of one epoch's order.
  int64_t total_size() const { return num_samples_ * num_replicas_; }

  // This rank's indices for the current epoch, in the order to visit them; num_samples() long.
  std::vector<int64_t> indices() const;

 private:
  std::vector<int64_t> epoch_order() const;

  int64_t dataset_size_, num_replicas_, rank_;
  bool shuffle_;
  uint64_t seed_;
  bool drop_last_;
  int64_t epoch_ = 0;
  int64_t num_samples_ = 0;
};

}  // namespace finsent::train
