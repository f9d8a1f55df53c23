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

TEST(TimeFormat, TimesAsPeopleTypeThemTakeAnOffsetAndAnyFraction) {
  const TimePoint at = TimePoint(milliseconds(1795438518000));  // 2026-11-23T12:55:18Z
  EXPECT_EQ(parse_time("2026-11-23T12:55:18Z"), at);
  EXPECT_EQ(parse_time("2026-11-23T12:55:18.042Z"), at + milliseconds(42));
  EXPECT_EQ(parse_time("2026-11-23 13:55:18+01:00"), at);
  EXPECT_EQ(parse_time("2026-11-23T07:25:18-05:30"), at);
  EXPECT_EQ(parse_time("2026-11-23t12:55:18z"), at);
  EXPECT_EQ(parse_time("2026-11-23T12:55:18.5Z"), at + milliseconds(500));
  EXPECT_EQ(parse_time("2026-11-23T12:55:18.123456789+00:00"), at + milliseconds(123));
  EXPECT_EQ(parse_time("2026-11-24T00:55:18+12:00"), at) << "across midnight";
}

TEST(TimeFormat, ATimeWithoutItsZoneIsRefused) {
  EXPECT_EQ(parse_time("2026-11-23T12:55:18"), std::nullopt) << "local time of which zone?";
  EXPECT_EQ(parse_time("2026-11-23T12:55:18+0100"), std::nullopt);
  EXPECT_EQ(parse_time("2026-11-23T12:55:18+24:00"), std::nullopt);
  EXPECT_EQ(parse_time("2026-11-23T12:55:18.Z"), std::nullopt);
  EXPECT_EQ(parse_time("2026-11-23X12:55:18Z"), std::nullopt);
  EXPECT_EQ(parse_time("2026-11-23T12:55:18Zjunk"), std::nullopt);
  EXPECT_EQ(parse_time("yesterday"), std::nullopt);
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
