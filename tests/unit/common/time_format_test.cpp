// UTC times as tickets store and show them.
#include "common/time_format.h"

#include <gtest/gtest.h>

namespace opr {
namespace {

using std::chrono::milliseconds;

TEST(TimeFormat, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_utc(TimePoint(milliseconds(0))), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc(TimePoint(milliseconds(1795438518042))), "2026-11-23T12:55:18.042Z");
  EXPECT_EQ(format_utc(TimePoint(milliseconds(-1))), "1969-12-31T23:59:59.999Z");
}

TEST(TimeFormat, ParsesWhatItWrites) {
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18.042Z"), TimePoint(milliseconds(1795438518042)));
  const TimePoint now = now_ms();
  EXPECT_EQ(parse_utc(format_utc(now)), now);
}

TEST(TimeFormat, WholeSecondsAsPeopleTypeThemAreRead) {
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18Z"), TimePoint(milliseconds(1795438518000)));
}

TEST(TimeFormat, RejectsOtherForms) {
  EXPECT_EQ(parse_utc(""), std::nullopt);
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18.0Z"), std::nullopt) << "three digits or none";
  EXPECT_EQ(parse_utc("2026-13-23T12:55:18Z"), std::nullopt) << "no 13th month";
  EXPECT_EQ(parse_utc("2026-11-23T24:55:18Z"), std::nullopt) << "no 24th hour";
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18.042"), std::nullopt) << "the Z is required";
  EXPECT_EQ(parse_utc("2026-11-23 12:55:18.042Z"), std::nullopt);
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18.042+01:00"), std::nullopt);
  EXPECT_EQ(parse_utc("2026-11-23T12:55:18.042Zjunk"), std::nullopt);
}

TEST(TimeFormat, NowIsCurrent) {
  const auto before = std::chrono::system_clock::now();
  const TimePoint now = now_ms();
  const auto after = std::chrono::system_clock::now();
  EXPECT_GE(now + milliseconds(1), before);
  EXPECT_LE(now, after);
}

}  // namespace
}  // namespace opr
