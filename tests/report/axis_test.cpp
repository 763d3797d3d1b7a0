// Nice ticks, tick labels, scales and number formatting.
#include "finsent/report/axis.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "finsent/report/number_format.hpp"

namespace finsent::report {
namespace {

TEST(NiceTicks, CoverTheIntervalWithRoundSteps) {
  EXPECT_EQ(nice_ticks(0, 2879), (std::vector<double>{0, 1000, 2000, 3000}));
  EXPECT_EQ(nice_ticks(0, 2879, 11), (std::vector<double>{0, 500, 1000, 1500, 2000, 2500, 3000}));
  EXPECT_EQ(nice_ticks(0.31, 1.12), (std::vector<double>{0.2, 0.4, 0.6, 0.8, 1.0, 1.2}));
  EXPECT_EQ(nice_ticks(3, 97, 7), (std::vector<double>{0, 20, 40, 60, 80, 100}));
}

TEST(NiceTicks, DegenerateIntervalsStillGiveAnAxis) {
  const auto one = nice_ticks(5, 5);
  ASSERT_GE(one.size(), 2u);
  EXPECT_LE(one.front(), 5);
  EXPECT_GE(one.back(), 5);
  const auto bad = nice_ticks(std::nan(""), 1);
  ASSERT_GE(bad.size(), 2u);
  EXPECT_EQ(bad.front(), 0);
}

TEST(TickLabels, SameDecimalsOrScientific) {
  EXPECT_EQ(tick_labels({0, 0.5, 1.0}), (std::vector<std::string>{"0.0", "0.5", "1.0"}));
  EXPECT_EQ(tick_labels({0, 500, 1000}), (std::vector<std::string>{"0", "500", "1000"}));
  EXPECT_EQ(tick_labels({0, 1e-5, 2e-5}), (std::vector<std::string>{"0", "1e-05", "2e-05"}));
  EXPECT_EQ(tick_labels({0, 5e-6, 1e-5, 1.5e-5}),
            (std::vector<std::string>{"0", "5.0e-06", "1.0e-05", "1.5e-05"}));
}

TEST(LinearScale, MapsEndpointsAndInverts) {
  LinearScale y(0, 100, 300, 50);
  EXPECT_DOUBLE_EQ(y(0), 300);
  EXPECT_DOUBLE_EQ(y(100), 50);
  EXPECT_DOUBLE_EQ(y(50), 175);
  EXPECT_DOUBLE_EQ(LinearScale(2, 2, 0, 10)(2), 5);
}

TEST(NumberFormat, FixedShortPercentSeconds) {
  EXPECT_EQ(format_fixed(0.81234, 4), "0.8123");
  EXPECT_EQ(format_fixed(-0.00001, 2), "0.00");
  EXPECT_EQ(format_fixed(std::numeric_limits<double>::infinity(), 2), "inf");
  EXPECT_EQ(format_short(2e-5), "2e-05");
  EXPECT_EQ(format_short(0.81234), "0.8123");
  EXPECT_EQ(format_short(1234), "1234");
  EXPECT_EQ(format_percent(0.5941), "59.4%");
  EXPECT_EQ(format_seconds(0.4234), "0.42 s");
  EXPECT_EQ(format_seconds(12.34), "12.3 s");
  EXPECT_EQ(format_seconds(125), "2 min 05 s");
  EXPECT_EQ(format_seconds(3725), "1 h 02 min");
}

}  // namespace
}  // namespace finsent::report
