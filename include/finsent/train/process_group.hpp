// The c10d process group data-parallel training runs on: PyTorch's own collectives, not finsent's.
//
// Rendezvous is c10d's TCPStore (rank 0 hosts it at master_addr:master_port, as torchrun's
// MASTER_ADDR/MASTER_PORT say); the collectives are c10d::ProcessGroupGloo on CPU tensors (the
// backend torch.distributed.init_process_group("gloo") creates). Every call is bounded by
// `timeout`: a rank that dies makes the others' next collective fail at once (its connections
// close); one that hangs makes them fail when the timeout runs out. Failures are finsent::Error
// with one line ("rank 0: ... : Connection closed by peer ..."), never a hang.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <torch/csrc/distributed/c10d/Backend.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>

namespace finsent::train {

struct ProcessGroupOptions {
  int rank = 0;
  int world_size = 1;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
  // The network interface Gloo binds (GLOO_SOCKET_IFNAME in torch.distributed); empty: the
  // loopback device when master_addr is a loopback address, else the host name's address.
  std::string interface;
};

class ProcessGroup {
 public:
  // Joins the group: rank 0 starts the TCPStore and every rank waits until all world_size ranks
  // are there (or the timeout passes). Throws finsent::Error: the port is in use on rank 0, the
  // master cannot be reached, a rank did not join in time.
  explicit ProcessGroup(const ProcessGroupOptions& options);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }

  // Sums a dense CPU `tensor` over the ranks, in place; every rank gets the same bits. The async
  // form returns the work in flight: pass it to wait().
  c10::intrusive_ptr<c10d::Work> allreduce_sum_async(at::Tensor& tensor);
  void allreduce_sum(at::Tensor& tensor);
  // Waits for `work`; its failure (a peer gone, the timeout) is rethrown as finsent::Error.
  void wait(const c10::intrusive_ptr<c10d::Work>& work) const;
  // The sum of a sparse COO gradient (c10d's sparse all-reduce: an all-gather of indices and
  // values, summed in rank order on every rank), coalesced; a dense tensor is summed densely.
  at::Tensor allreduce_sparse_sum(const at::Tensor& sparse);
  // Copies root's `tensor` into every rank's (same shape and dtype).
  void broadcast(at::Tensor& tensor, int root);
  // Every rank's `tensor` (same shape on all ranks), in rank order: world_size tensors.
  std::vector<at::Tensor> allgather(const at::Tensor& tensor);
  void barrier();

 private:
  ProcessGroupOptions options_;
  c10::intrusive_ptr<c10d::Store> store_;
  c10::intrusive_ptr<c10d::Backend> backend_;
};

}  // namespace finsent::train
