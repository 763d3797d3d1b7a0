// Gradient averaging across ranks, overlapped with the backward pass, as
// torch.nn.parallel.DistributedDataParallel's Reducer does it.
//
// Dense gradients are packed into buckets, parameters taken in reverse registration order (about
// the order the backward pass produces them), the first bucket capped at 1 MiB and the others at
// 25 MiB (DDP's first_bucket_bytes_cap and bucket_cap_mb). A hook on each parameter copies its
// gradient into its bucket; a bucket whose gradients are all there is all-reduced at once, while
// the backward pass goes on, in bucket order on every rank. Sparse gradients (embedding tables
// trained with sparse rows) are all-reduced as sparse tensors after the backward pass.
// finish_backward() leaves every parameter's .grad the mean over the ranks, the same bits on every
// rank, so every rank takes the same optimizer step.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "finsent/train/process_group.hpp"

namespace finsent::train {

class GradientReducer {
 public:
  static constexpr int64_t kFirstBucketBytes = int64_t{1} << 20;
  static constexpr int64_t kBucketBytes = int64_t{25} << 20;

  // `params`: the parameters the optimizer steps (requires_grad, on the CPU). `sparse[i]` says
  // whether params[i] gets a sparse gradient. Registers one hook per dense parameter; the
  // destructor removes them. `group` must outlive the reducer.
  GradientReducer(ProcessGroup& group, std::vector<torch::Tensor> params, std::vector<bool> sparse,
                  int64_t first_bucket_bytes = kFirstBucketBytes,
                  int64_t bucket_bytes = kBucketBytes);
  ~GradientReducer();
  GradientReducer(const GradientReducer&) = delete;
  GradientReducer& operator=(const GradientReducer&) = delete;

  // Arms the hooks for the next backward pass: the one that ends an optimizer step's gradient
  // accumulation (earlier micro-batches accumulate locally, as under DDP's no_sync()). The
  // gradient reduced is the accumulated one (.grad so far plus this pass's).
  void prepare_for_backward();
  // After that backward pass: all-reduces what is left (buckets of parameters that got no
  // gradient in this pass; sparse gradients), waits for every bucket and writes mean gradients
  // into .grad. A parameter without a gradient on this rank keeps none. Throws finsent::Error if
  // a collective fails.
  void finish_backward();

  size_t bucket_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace finsent::train
