// DistributedSampler against torch.utils.data.DistributedSampler (fixture from torch 2.15), plus
// its coverage promise and argument errors.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <sstream>

#include "finsent/core/error.hpp"
#include "finsent/train/distributed_sampler.hpp"

namespace finsent::train {
namespace {

nlohmann::json fixture() {
  const std::string path = std::string(FINSENT_FIXTURES_DIR) + "/train/distributed_sampler.json";
  std::ifstream in(path);
  EXPECT_TRUE(in) << path << " missing; regenerate with tools/make_distributed_sampler_fixture.py";
  return nlohmann::json::parse(in);
}

std::string describe(const nlohmann::json& c, int64_t rank) {
  std::ostringstream s;
  s << "n=" << c["n"] << " num_replicas=" << c["num_replicas"] << " rank=" << rank
    << " shuffle=" << c["shuffle"] << " drop_last=" << c["drop_last"] << " seed=" << c["seed"]
    << " epoch=" << c["epoch"];
  return s.str();
}

// The large-n record: count, first 16, sum and sum((i + 1) * index).
void expect_summary(const nlohmann::json& want, const std::vector<int64_t>& got,
                    const std::string& where) {
  ASSERT_EQ(static_cast<int64_t>(got.size()), want["count"].get<int64_t>()) << where;
  const auto first16 = want["first16"].get<std::vector<int64_t>>();
  EXPECT_EQ(std::vector<int64_t>(got.begin(), got.begin() + static_cast<long>(first16.size())),
            first16)
      << where;
  int64_t sum = 0, checksum = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    sum += got[i];
    checksum += static_cast<int64_t>(i + 1) * got[i];
  }
  EXPECT_EQ(sum, want["sum"].get<int64_t>()) << where;
  EXPECT_EQ(checksum, want["checksum"].get<int64_t>()) << where;
}

TEST(DistributedSampler, MatchesTorchForEveryFixtureCase) {
  const auto f = fixture();
  ASSERT_GE(f["cases"].size(), 400u);
  int64_t compared = 0;
  for (const auto& c : f["cases"]) {
    const int64_t replicas = c["num_replicas"];
    ASSERT_EQ(static_cast<int64_t>(c["ranks"].size()), replicas);
    for (int64_t rank = 0; rank < replicas; ++rank) {
      DistributedSampler sampler(c["n"], replicas, rank, c["shuffle"], c["seed"], c["drop_last"]);
      sampler.set_epoch(c["epoch"]);
      const std::string where = describe(c, rank);
      EXPECT_EQ(sampler.num_samples(), c["num_samples"].get<int64_t>()) << where;
      EXPECT_EQ(sampler.total_size(), c["total_size"].get<int64_t>()) << where;
      const auto& want = c["ranks"][static_cast<size_t>(rank)];
      const auto got = sampler.indices();
      if (want.is_array())
        EXPECT_EQ(got, want.get<std::vector<int64_t>>()) << where;
      else
        expect_summary(want, got, where);
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000);
}

TEST(DistributedSampler, ShuffleIsTorchRandpermOfSeedPlusEpoch) {
  DistributedSampler sampler(100, 1, 0, /*shuffle=*/true, /*seed=*/40);
  sampler.set_epoch(2);
  auto generator = at::detail::createCPUGenerator(42);
  const auto perm = torch::randperm(100, generator, torch::kLong);
  EXPECT_EQ(sampler.indices(),
            std::vector<int64_t>(perm.data_ptr<int64_t>(), perm.data_ptr<int64_t>() + 100));
}

TEST(DistributedSampler, EpochsGiveDifferentOrdersAndTheSameEpochTheSameOrder) {
  DistributedSampler sampler(50, 2, 1, true, 7);
  const auto epoch0 = sampler.indices();
  EXPECT_EQ(sampler.indices(), epoch0);
  sampler.set_epoch(1);
  EXPECT_NE(sampler.indices(), epoch0);
}

TEST(DistributedSampler, RanksTogetherCoverEveryIndexWithoutDropLast) {
  for (int64_t n : {1, 3, 7, 64, 101}) {
    for (int64_t replicas : {1, 2, 3, 5, 8}) {
      for (bool shuffle : {false, true}) {
        std::set<int64_t> seen;
        int64_t total = 0;
        for (int64_t rank = 0; rank < replicas; ++rank) {
          DistributedSampler sampler(n, replicas, rank, shuffle, 3);
          sampler.set_epoch(2);
          const auto mine = sampler.indices();
          EXPECT_EQ(static_cast<int64_t>(mine.size()), sampler.num_samples());
          seen.insert(mine.begin(), mine.end());
          total += static_cast<int64_t>(mine.size());
        }
        EXPECT_EQ(static_cast<int64_t>(seen.size()), n) << "n=" << n << " R=" << replicas;
        EXPECT_EQ(*seen.begin(), 0);
        EXPECT_EQ(*seen.rbegin(), n - 1);
        EXPECT_LT(total - n, replicas) << "padding is less than one index per rank";
      }
    }
  }
}

TEST(DistributedSampler, DropLastGivesDisjointRanksOfFloorShare) {
  const int64_t n = 10, replicas = 4;
  std::set<int64_t> seen;
  for (int64_t rank = 0; rank < replicas; ++rank) {
    DistributedSampler sampler(n, replicas, rank, true, 0, /*drop_last=*/true);
    const auto mine = sampler.indices();
    EXPECT_EQ(mine.size(), 2u);
    seen.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(seen.size(), 8u);
}

TEST(DistributedSampler, PaddingLongerThanTheDatasetRepeatsItInOrder) {
  // n = 1 with 4 replicas: every rank gets index 0; n = 2 with 5: 0 1 0 1 0.
  for (int64_t rank = 0; rank < 4; ++rank)
    EXPECT_EQ(DistributedSampler(1, 4, rank, false).indices(), std::vector<int64_t>{0});
  std::vector<int64_t> got;
  for (int64_t rank = 0; rank < 5; ++rank)
    got.push_back(DistributedSampler(2, 5, rank, false).indices().at(0));
  EXPECT_EQ(got, (std::vector<int64_t>{0, 1, 0, 1, 0}));
  EXPECT_TRUE(DistributedSampler(2, 5, 4, false, 0, true).indices().empty());
}

TEST(DistributedSampler, EmptyDatasetGivesNoIndices) {
  EXPECT_TRUE(DistributedSampler(0, 3, 2).indices().empty());
  EXPECT_TRUE(DistributedSampler(0, 3, 2, true, 0, true).indices().empty());
}

TEST(DistributedSampler, InvalidArgumentsThrowOneLineInputErrors) {
  auto message_of = [](auto make) {
    try {
      make();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of([] { DistributedSampler(10, 2, 2); }),
            "distributed sampler: invalid rank 2, rank should be in the interval [0, 1]");
  EXPECT_EQ(message_of([] { DistributedSampler(10, 2, -1); }),
            "distributed sampler: invalid rank -1, rank should be in the interval [0, 1]");
  EXPECT_EQ(message_of([] { DistributedSampler(10, 0, 0); }),
            "distributed sampler: num_replicas must be at least 1, not 0");
  EXPECT_EQ(message_of([] { DistributedSampler(-1, 1, 0); }),
            "distributed sampler: dataset size must not be negative, not -1");
}

}  // namespace
}  // namespace finsent::train
