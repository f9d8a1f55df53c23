// Durations as users write them in configs and read them in `config check`.
#include "common/duration.h"

#include <gtest/gtest.h>

#include <limits>

namespace opr {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("30s"), 30s);
  EXPECT_EQ(parse_duration("5m"), 5min);
  EXPECT_EQ(parse_duration("1h"), 1h);
  EXPECT_EQ(parse_duration("0s"), 0ms);
}

TEST(Duration, ParsesCompoundForms) {
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("1m30s"), 90s);
  EXPECT_EQ(parse_duration("1s500ms"), 1500ms);
}

TEST(Duration, RejectsWhatIsNotADuration) {
  EXPECT_EQ(parse_duration(""), std::nullopt);
  EXPECT_EQ(parse_duration("30"), std::nullopt) << "a bare number has no unit";
  EXPECT_EQ(parse_duration("s"), std::nullopt);
  EXPECT_EQ(parse_duration("-5s"), std::nullopt);
  EXPECT_EQ(parse_duration("1.5s"), std::nullopt);
  EXPECT_EQ(parse_duration("5 m"), std::nullopt);
  EXPECT_EQ(parse_duration("5d"), std::nullopt);
  EXPECT_EQ(parse_duration("10sec"), std::nullopt);
  EXPECT_EQ(parse_duration("99999999999999999999h"), std::nullopt) << "overflow";
  EXPECT_EQ(parse_duration("9223372036854775807h"), std::nullopt) << "overflow in the unit";
}

TEST(Duration, FormatsTheShortestExactForm) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(90s), "90s");
  EXPECT_EQ(format_duration(2min), "2m");
  EXPECT_EQ(format_duration(90min), "90m");
  EXPECT_EQ(format_duration(3h), "3h");
}

// Found by fuzz_duration: the longest duration there is printed as
// "9223372036854775807ms", which the parser refused (its overflow check
// stopped one digit short), so a valid value did not survive a round trip.
TEST(Duration, TheLongestDurationParsesBackFromItsOwnText) {
  const auto longest = std::chrono::milliseconds(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(parse_duration("2562047788015h775807ms"), longest);
  EXPECT_EQ(parse_duration(format_duration(longest)), longest);
  EXPECT_EQ(parse_duration("9223372036854775808ms"), std::nullopt) << "one more overflows";
}

TEST(Duration, FormatThenParseRoundTrips) {
  for (const std::chrono::milliseconds d : {1ms, 999ms, 1000ms, 61000ms, 3600000ms, 86400000ms}) {
    EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace opr
