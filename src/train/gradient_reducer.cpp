// Buckets, hooks and the in-order launch of their all-reduces (see gradient_reducer.hpp).
#include "finsent/train/gradient_reducer.hpp"

#include <mutex>

#include "finsent/core/error.hpp"

namespace finsent::train {

struct Bucket {
  torch::Tensor flat;          // the bucket's gradients, one after another (float32)
  std::vector<size_t> params;  // indices into State::params
  size_t pending = 0;          // gradients not yet copied in during this backward pass
  c10::intrusive_ptr<c10d::Work> work;
};

struct GradientReducer::State {
  ProcessGroup* group = nullptr;
  std::vector<torch::Tensor> params;
  std::vector<bool> sparse;
  std::vector<size_t> bucket_of, offset_of;  // per parameter (dense ones only)
  std::vector<bool> ready;                   // got its gradient in this pass
  std::vector<Bucket> buckets;
  std::vector<unsigned> hooks;  // hook handles, per dense parameter (-1 for sparse ones)
  size_t next_launch = 0;
  bool armed = false;
  std::mutex mutex;  // the autograd engine may run hooks on its worker threads

  torch::Tensor slot(size_t p) {
    const auto& b = buckets[bucket_of[p]];
    return b.flat.narrow(0, static_cast<int64_t>(offset_of[p]), params[p].numel())
        .view(params[p].sizes());
  }

  // Launches, in bucket order, every bucket whose gradients are all in: every rank issues the same
  // collectives in the same order.
  void launch_ready() {
    while (next_launch < buckets.size() && buckets[next_launch].pending == 0) {
      auto& b = buckets[next_launch++];
      b.work = group->allreduce_sum_async(b.flat);
    }
  }

  // Parameters in reverse order, a new bucket when the current one would pass its cap.
  void plan_buckets(int64_t first_cap, int64_t cap) {
    const size_t n = params.size();
    bucket_of.assign(n, 0);
    offset_of.assign(n, 0);
    std::vector<std::vector<size_t>> members;
    std::vector<int64_t> sizes;
    int64_t bytes = 0;
    for (size_t k = n; k-- > 0;) {
      if (sparse[k]) continue;
      const int64_t b = params[k].numel() * 4;
      const int64_t limit = members.size() <= 1 ? first_cap : cap;  // filling the first bucket?
      if (members.empty() || (bytes > 0 && bytes + b > limit)) {
        members.emplace_back();
        sizes.push_back(0);
        bytes = 0;
      }
      bucket_of[k] = members.size() - 1;
      offset_of[k] = static_cast<size_t>(sizes.back());
      members.back().push_back(k);
      sizes.back() += params[k].numel();
      bytes += b;
    }
    for (size_t i = 0; i < members.size(); ++i)
      buckets.push_back(Bucket{torch::zeros({sizes[i]}), members[i], 0, {}});
  }

  void on_gradient(size_t p, const torch::Tensor& grad) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!armed || ready[p]) return;
    ready[p] = true;
    auto s = slot(p);
    const auto& accumulated = params[p].grad();
    if (accumulated.defined())
      torch::add_out(s, accumulated, grad.view(s.sizes()));
    else
      s.copy_(grad.view(s.sizes()));
    --buckets[bucket_of[p]].pending;
    launch_ready();
  }
};

GradientReducer::GradientReducer(ProcessGroup& group, std::vector<torch::Tensor> params,
                                 std::vector<bool> sparse, int64_t first_bucket_bytes,
                                 int64_t bucket_bytes)
    : state_(std::make_shared<State>()) {
  if (sparse.size() != params.size())
    throw Error("GradientReducer: one sparse flag per parameter is needed");
  auto& st = *state_;
  st.group = &group;
  st.params = std::move(params);
  st.sparse = std::move(sparse);
  for (const auto& p : st.params)
    if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32)
      throw Error("data-parallel training reduces float32 CPU gradients only (a parameter is " +
                  std::string(c10::toString(p.scalar_type())) + " on " + p.device().str() + ")");
  st.plan_buckets(first_bucket_bytes, bucket_bytes);
  st.ready.assign(st.params.size(), false);
  std::weak_ptr<State> weak = state_;
  st.hooks.assign(st.params.size(), static_cast<unsigned>(-1));
  for (size_t p = 0; p < st.params.size(); ++p) {
    if (st.sparse[p]) continue;
    st.hooks[p] = st.params[p].register_hook([weak, p](const torch::Tensor& grad) {
      if (auto s = weak.lock()) s->on_gradient(p, grad);
      return torch::Tensor();  // the gradient itself is unchanged
    });
  }
}

GradientReducer::~GradientReducer() {
  for (size_t p = 0; p < state_->params.size(); ++p)
    if (!state_->sparse[p]) state_->params[p].remove_hook(state_->hooks[p]);
}

size_t GradientReducer::bucket_count() const {
  return state_->buckets.size();
}

void GradientReducer::prepare_for_backward() {
  auto& st = *state_;
  std::lock_guard<std::mutex> lock(st.mutex);
  for (auto& b : st.buckets) {
    b.flat.zero_();
    b.pending = b.params.size();
    b.work.reset();
  }
  st.ready.assign(st.params.size(), false);
  st.next_launch = 0;
  st.armed = true;
}

void GradientReducer::finish_backward() {
  auto& st = *state_;
  {
    std::lock_guard<std::mutex> lock(st.mutex);
    st.armed = false;
    // Buckets some of whose parameters got no gradient: their slots stay zero.
    for (auto& b : st.buckets) b.pending = 0;
    st.launch_ready();
  }
  const double world = st.group->world_size();
  for (auto& b : st.buckets) {
    st.group->wait(b.work);
    b.flat.div_(world);
  }
  for (size_t p = 0; p < st.params.size(); ++p) {
    auto& param = st.params[p];
    if (st.sparse[p]) {
      if (!param.grad().defined()) continue;
      param.mutable_grad() = st.group->allreduce_sparse_sum(param.grad()).div_(world);
    } else if (st.ready[p]) {
      param.mutable_grad().copy_(st.slot(p));
    }
  }
}

}  // namespace finsent::train
