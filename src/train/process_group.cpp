// c10d's TCPStore + ProcessGroupGloo behind finsent's errors (see process_group.hpp).
#include "finsent/train/process_group.hpp"

#include <c10/util/Logging.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <algorithm>
#include <cstdlib>

#include "finsent/core/error.hpp"

namespace finsent::train {
namespace {

// c10d's messages carry a C++ backtrace and several lines; the user sees the first line.
std::string first_line(const std::exception& e) {
  std::string what;
  if (const auto* c10_error = dynamic_cast<const c10::Error*>(&e))
    what = c10_error->what_without_backtrace();
  else
    what = e.what();
  const auto end = what.find('\n');
  return end == std::string::npos ? what : what.substr(0, end);
}

std::string seconds(std::chrono::milliseconds t) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(t).count()) + " s";
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

c10::intrusive_ptr<c10d::Store> rendezvous(const ProcessGroupOptions& o) {
  c10d::TCPStoreOptions store;
  store.port = static_cast<uint16_t>(o.master_port);
  store.isServer = o.rank == 0;
  store.numWorkers = o.world_size;
  store.waitWorkers = true;
  store.timeout = o.timeout;
  const std::string where = o.master_addr + ":" + std::to_string(o.master_port);
  try {
    return c10::make_intrusive<c10d::TCPStore>(o.master_addr, store);
  } catch (const std::exception& e) {
    const std::string why = first_line(e);
    if (o.rank == 0 && why.find("EADDRINUSE") != std::string::npos)
      throw Error("rank 0: cannot listen on " + where +
                  ": the port is in use (another run?); choose another --master-port/MASTER_PORT");
    throw Error("rank " + std::to_string(o.rank) + ": rendezvous at " + where + " failed within " +
                seconds(o.timeout) + " (master unreachable, or not every one of the " +
                std::to_string(o.world_size) + " ranks started): " + why);
  }
}

std::shared_ptr<::gloo::transport::Device> gloo_device(const ProcessGroupOptions& o) {
  if (!o.interface.empty()) return c10d::ProcessGroupGloo::createDeviceForInterface(o.interface);
  if (is_loopback(o.master_addr))
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

ProcessGroup::ProcessGroup(const ProcessGroupOptions& options) : options_(options) {
  // c10d logs each connection retry and failure to stderr with a C++ backtrace; finsent reports a
  // failure as one line instead. TORCH_CPP_LOG_LEVEL, when set, keeps c10's logging for diagnosis.
  if (std::getenv("TORCH_CPP_LOG_LEVEL") == nullptr)
    FLAGS_caffe2_log_level = std::max(FLAGS_caffe2_log_level, 3);  // FATAL only
  if (options.world_size < 1 || options.rank < 0 || options.rank >= options.world_size)
    throw InputError("rank " + std::to_string(options.rank) + " is not in a world of " +
                     std::to_string(options.world_size));
  store_ = rendezvous(options);
  try {
    auto gloo = c10d::ProcessGroupGloo::Options::create();
    gloo->timeout = options.timeout;
    gloo->devices.push_back(gloo_device(options));
    backend_ =
        c10::make_intrusive<c10d::ProcessGroupGloo>(store_, options.rank, options.world_size, gloo);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(options.rank) + ": Gloo process group: " + first_line(e));
  }
}

ProcessGroup::~ProcessGroup() = default;

void ProcessGroup::wait(const c10::intrusive_ptr<c10d::Work>& work) const {
  try {
    work->wait(options_.timeout);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(options_.rank) +
                ": a collective failed (another rank stopped or hung; timeout " +
                seconds(options_.timeout) + "): " + first_line(e));
  }
}

c10::intrusive_ptr<c10d::Work> ProcessGroup::allreduce_sum_async(at::Tensor& tensor) {
  std::vector<at::Tensor> tensors{tensor};
  return backend_->allreduce(tensors, c10d::AllreduceOptions{});
}

void ProcessGroup::allreduce_sum(at::Tensor& tensor) {
  wait(allreduce_sum_async(tensor));
}

at::Tensor ProcessGroup::allreduce_sparse_sum(const at::Tensor& sparse) {
  if (!sparse.is_sparse()) {  // a table whose gradient came dense (every rank alike)
    at::Tensor dense = sparse.contiguous().clone();
    allreduce_sum(dense);
    return dense;
  }
  // Gloo's sparse all-reduce writes the sum back into its input (a copy here, coalesced).
  std::vector<at::Tensor> tensors{sparse.coalesce().clone()};
  wait(backend_->allreduce(tensors, c10d::AllreduceOptions{}));
  return tensors[0].coalesce();
}

void ProcessGroup::broadcast(at::Tensor& tensor, int root) {
  std::vector<at::Tensor> tensors{tensor};
  c10d::BroadcastOptions o;
  o.rootRank = root;
  wait(backend_->broadcast(tensors, o));
}

std::vector<at::Tensor> ProcessGroup::allgather(const at::Tensor& tensor) {
  std::vector<at::Tensor> input{tensor.contiguous()};
  std::vector<std::vector<at::Tensor>> output(1);
  for (int r = 0; r < options_.world_size; ++r) output[0].push_back(at::empty_like(input[0]));
  wait(backend_->allgather(output, input, c10d::AllgatherOptions{}));
  return output[0];
}

void ProcessGroup::barrier() {
  wait(backend_->barrier(c10d::BarrierOptions{}));
}

}  // namespace finsent::train
