#include "engine/schedule.h"

#include <gtest/gtest.h>

#include <set>

namespace opr::engine {
namespace {

using std::chrono::milliseconds;
using Time = std::chrono::steady_clock::time_point;

TEST(Schedule, FirstCheckStartsAtOnce) {
  EXPECT_EQ(first_run_offset(0, 5, milliseconds(30'000)), milliseconds(0));
}

TEST(Schedule, StartsAreSpreadOverTheInterval) {
  std::set<int64_t> offsets;
  for (std::size_t i = 0; i < 4; ++i) {
    const auto offset = first_run_offset(i, 4, milliseconds(1000));
    EXPECT_LT(offset, milliseconds(1000));
    offsets.insert(offset.count());
  }
  EXPECT_EQ(offsets, (std::set<int64_t>{0, 250, 500, 750}));
}

TEST(Schedule, LongIntervalsStartWithinTheSpreadCap) {
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_LT(first_run_offset(i, 10, milliseconds(3'600'000)), kMaxStartSpread);
  }
}

TEST(Schedule, NextDueKeepsAFixedRate) {
  const Time start{};
  EXPECT_EQ(next_due(start, milliseconds(100), start + milliseconds(30)),
            start + milliseconds(100));
}

TEST(Schedule, NextDueSkipsMissedSlotsInsteadOfBursting) {
  const Time start{};
  const auto next = next_due(start, milliseconds(100), start + milliseconds(350));
  EXPECT_EQ(next, start + milliseconds(400));
}

TEST(Schedule, CycleIsTheShortestIntervalWithAFloor) {
  EXPECT_EQ(cycle_period({milliseconds(500), milliseconds(200), milliseconds(1000)}),
            milliseconds(200));
  EXPECT_EQ(cycle_period({milliseconds(10)}), kMinCycle);
  EXPECT_EQ(cycle_period({}), kDefaultCycle);
}

}  // namespace
}  // namespace opr::engine
