// The generator reproduces CPython's random streams recorded in the fixture.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/test_data.hpp"
#include "finsent/data/python_random.hpp"

namespace finsent::data {
namespace {

TEST(PythonRandom, MatchesCPythonStreams) {
  const auto ref = nlohmann::json::parse(
      testing::read_text(testing::fixture("data/phrasebank_reference.json")))["random_streams"];
  ASSERT_EQ(ref.size(), 3u);
  for (const auto& [seed_text, s] : ref.items()) {
    PythonRandom rng(std::stoull(seed_text));
    for (const auto& v : s["getrandbits32"])
      EXPECT_EQ(rng.getrandbits(32), v.get<uint64_t>()) << seed_text;
    for (const auto& v : s["getrandbits48"])
      EXPECT_EQ(rng.getrandbits(48), v.get<uint64_t>()) << seed_text;
    const uint64_t bounds[] = {1, 2, 7, 100, 4846, (1ULL << 33) + 1};
    size_t i = 0;
    for (const auto& v : s["randbelow"])
      EXPECT_EQ(rng.randbelow(bounds[i++]), v.get<uint64_t>()) << seed_text;
    std::vector<int> xs(20);
    for (int k = 0; k < 20; ++k) xs[static_cast<size_t>(k)] = k;
    rng.shuffle(xs);
    EXPECT_EQ(xs, s["shuffle20"].get<std::vector<int>>()) << seed_text;
  }
}

}  // namespace
}  // namespace finsent::data
