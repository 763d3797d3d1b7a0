// GradientReducer and ProcessGroup on real c10d Gloo groups, ranks as threads of this process.
#include "finsent/train/gradient_reducer.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include <ATen/CPUGeneratorImpl.h>

#include "common/free_port.hpp"
#include "finsent/core/error.hpp"
#include "finsent/train/data_parallel.hpp"

namespace finsent::train {
namespace {

using testing::free_port;

ProcessGroupOptions options(int rank, int world, int port) {
  ProcessGroupOptions o;
  o.rank = rank;
  o.world_size = world;
  o.master_port = port;
  o.timeout = std::chrono::seconds(20);
  return o;
}

// Runs body(rank, group) on `world` threads, one process group each; rethrows a rank's failure.
void run_ranks(int world, const std::function<void(int, ProcessGroup&)>& body) {
  const int port = free_port();
  std::vector<std::exception_ptr> errors(static_cast<size_t>(world));
  std::vector<std::thread> threads;
  for (int r = 0; r < world; ++r)
    threads.emplace_back([&, r] {
      try {
        ProcessGroup group(options(r, world, port));
        body(r, group);
      } catch (...) {
        errors[static_cast<size_t>(r)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// A model with a dense linear layer and a sparse-gradient embedding, identical on every rank.
struct Toy : torch::nn::Module {
  torch::nn::Embedding embedding{torch::nn::EmbeddingOptions(50, 8).sparse(true)};
  torch::nn::Linear linear{8, 3};
  torch::nn::Linear unused{8, 2};  // never in the graph: its gradient stays undefined
  Toy() {
    register_module("embedding", embedding);
    register_module("linear", linear);
    register_module("unused", unused);
    // A generator of its own: the ranks are threads, and the global one would be shared.
    auto generator = at::detail::createCPUGenerator(7);
    torch::NoGradGuard g;
    for (auto& p : parameters()) p.uniform_(-1, 1, generator);
  }
  torch::Tensor loss(const torch::Tensor& ids) {
    return linear(embedding(ids).mean(1)).pow(2).mean();
  }
};

torch::Tensor batch_of(int rank, int micro) {
  return torch::arange(12, torch::kInt64).view({3, 4}).add(rank * 17 + micro * 5).remainder(50);
}

TEST(ProcessGroup, AllReduceBroadcastAllGatherAcrossRanks) {
  run_ranks(3, [](int rank, ProcessGroup& g) {
    auto t = torch::full({5}, static_cast<float>(rank + 1));
    g.allreduce_sum(t);
    EXPECT_TRUE(torch::equal(t, torch::full({5}, 6.0f)));
    auto b = torch::full({2}, static_cast<float>(rank));
    g.broadcast(b, 1);
    EXPECT_TRUE(torch::equal(b, torch::full({2}, 1.0f)));
    const auto all = g.allgather(torch::full({2}, static_cast<float>(rank * 10)));
    ASSERT_EQ(all.size(), 3u);
    for (int r = 0; r < 3; ++r) EXPECT_EQ(all[static_cast<size_t>(r)][0].item<float>(), r * 10.0f);
    g.barrier();
  });
}

// Two ranks, two micro-batches each with accumulation: .grad after finish_backward is the mean
// of the ranks' accumulated gradients, computed here without any collective.
TEST(GradientReducer, AveragesAccumulatedDenseAndSparseGradients) {
  const int world = 2;
  std::vector<std::vector<torch::Tensor>> expected(world);
  for (int r = 0; r < world; ++r) {
    Toy m;
    for (int micro = 0; micro < 2; ++micro) (m.loss(batch_of(r, micro)) / 2).backward();
    for (auto& p : m.parameters())
      expected[r].push_back(p.grad().defined() ? p.grad().to_dense() : torch::Tensor());
  }
  run_ranks(world, [&](int rank, ProcessGroup& g) {
    Toy m;
    auto params = m.parameters();
    std::vector<bool> sparse;
    for (auto& p : params) sparse.push_back(p.is_same(m.embedding->weight));
    // Tiny caps: the three dense tensors of `linear` and `unused` land in several buckets.
    GradientReducer reducer(g, params, sparse, 16, 64);
    EXPECT_GE(reducer.bucket_count(), 2u);
    (m.loss(batch_of(rank, 0)) / 2).backward();  // accumulates locally (no_sync)
    reducer.prepare_for_backward();
    (m.loss(batch_of(rank, 1)) / 2).backward();
    reducer.finish_backward();
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& e0 = expected[0][i];
      if (!e0.defined()) {
        EXPECT_FALSE(params[i].grad().defined()) << "parameter " << i;
        continue;
      }
      const auto mean = (e0 + expected[1][i]) / 2;
      EXPECT_EQ(params[i].grad().is_sparse(), sparse[i]);
      EXPECT_TRUE(torch::allclose(params[i].grad().to_dense(), mean, 1e-6, 1e-7))
          << "parameter " << i << " on rank " << rank;
    }
  });
}

TEST(DataParallel, AgreesOnLossAndStopsEveryRankOnANaN) {
  run_ranks(2, [](int rank, ProcessGroup& g) {
    DataParallel dp(g);
    EXPECT_DOUBLE_EQ(dp.agree_on_loss(rank == 0 ? 1.0 : 3.0), 2.0);
    EXPECT_TRUE(std::isnan(dp.agree_on_loss(rank == 1 ? NAN : 1.0)));
  });
}

TEST(DataParallel, ShardedRowsComeBackInExampleOrder) {
  run_ranks(3, [](int, ProcessGroup& g) {
    DataParallel dp(g);
    const auto rows = dp.sharded_rows(7, [](const std::vector<size_t>& shard) {
      auto t = torch::empty({static_cast<int64_t>(shard.size()), 2});
      for (size_t k = 0; k < shard.size(); ++k)
        t[static_cast<int64_t>(k)].fill_(static_cast<double>(shard[k]));
      return t;
    });
    ASSERT_EQ(rows.size(0), 7);
    for (int64_t i = 0; i < 7; ++i) EXPECT_EQ(rows[i][1].item<float>(), static_cast<float>(i));
  });
}

TEST(ProcessGroup, BusyPortIsAOneLineError) {
  const int port = free_port();
  ProcessGroup first(options(0, 1, port));
  try {
    ProcessGroup second(options(0, 1, port));
    FAIL() << "a second rank 0 on the same port was accepted";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("in use"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(ProcessGroup, UnreachableMasterFailsWithinTheTimeout) {
  auto o = options(1, 2, free_port());  // rank 1, and no rank 0 anywhere
  o.timeout = std::chrono::seconds(2);
  const auto t0 = std::chrono::steady_clock::now();
  try {
    ProcessGroup group(o);
    FAIL() << "joined a group without a master";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("rendezvous at 127.0.0.1:"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(15));
}

TEST(ProcessGroup, APeerThatLeavesFailsTheNextCollectiveInsteadOfHanging) {
  EXPECT_THROW(run_ranks(2,
                         [](int rank, ProcessGroup& g) {
                           auto t = torch::ones({4});
                           g.allreduce_sum(t);
                           if (rank == 1) throw Error("rank 1 leaves");  // its group is destroyed
                           g.allreduce_sum(t);  // rank 0: must fail, not hang
                         }),
               Error);
}

}  // namespace
}  // namespace finsent::train
