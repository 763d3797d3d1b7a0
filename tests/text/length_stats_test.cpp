// length_stats: percentiles as numpy computes them, MAX_LEN advice and the histogram.
#include "finsent/text/length_stats.hpp"

#include <gtest/gtest.h>

#include "finsent/core/error.hpp"

namespace finsent::text {
namespace {

TEST(LengthStats, PercentilesFollowNumpyLinearInterpolation) {
  // numpy.percentile([3, 5, 8, 10, 40], [50, 90, 95, 99]) == [8, 28, 34, 38.8]
  const auto s = length_stats({10, 3, 40, 8, 5});
  EXPECT_EQ(s.count, 5u);
  EXPECT_EQ(s.min, 3u);
  EXPECT_EQ(s.max, 40u);
  EXPECT_DOUBLE_EQ(s.mean, 13.2);
  EXPECT_DOUBLE_EQ(s.p50, 8);
  EXPECT_DOUBLE_EQ(s.p90, 28);
  EXPECT_DOUBLE_EQ(s.p95, 34);
  EXPECT_NEAR(s.p99, 38.8, 1e-12);
  EXPECT_EQ(s.max_len_100, 40u);
  EXPECT_EQ(s.max_len_999, 40u);  // 99.9% of 5 texts is all 5
}

TEST(LengthStats, MaxLenAdviceDropsTheRareLongTail) {
  std::vector<size_t> lengths(1999, 20);
  lengths.push_back(300);
  const auto s = length_stats(lengths);
  EXPECT_EQ(s.max_len_999, 20u);  // 1998 of 2000 texts are needed, all of length 20
  EXPECT_EQ(s.max_len_100, 300u);
  // padding to 20 leaves none, against 1999 * 492 + 212 positions at 512
  EXPECT_DOUBLE_EQ(s.padding_saved_999, 1.0);
  size_t total = 0;
  for (const auto& b : s.histogram) total += b.count;
  EXPECT_EQ(total, lengths.size());
  EXPECT_EQ(s.histogram.front().lo, 20u);
  EXPECT_EQ(s.histogram.back().hi, 300u);
}

TEST(LengthStats, EmptyInputIsAnError) {
  EXPECT_THROW(length_stats({}), InputError);
}

}  // namespace
}  // namespace finsent::text
