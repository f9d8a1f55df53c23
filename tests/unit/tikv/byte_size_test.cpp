#include "byte_size.h"

#include <gtest/gtest.h>

#include <cmath>

namespace opr::tikv {
namespace {

constexpr uint64_t kGiB = 1024ull * 1024 * 1024;
constexpr uint64_t kTiB = 1024ull * kGiB;

TEST(ByteSize, ReadsPdSizesFromTheFixtures) {
  EXPECT_EQ(parse_byte_size("878.9GiB"), static_cast<uint64_t>(std::llround(878.9 * kGiB)));
  EXPECT_EQ(parse_byte_size("278GiB"), 278 * kGiB);
  EXPECT_EQ(parse_byte_size("0B"), 0u);
  EXPECT_EQ(parse_byte_size("290.7MiB"), static_cast<uint64_t>(std::llround(290.7 * 1024 * 1024)));
  EXPECT_EQ(parse_byte_size("512B"), 512u);
}

TEST(ByteSize, MatchesPdsOwnUnitTestWithinRounding) {
  // PD's size_test.go: 1756821276000 bytes marshal to "1.598TiB" (4 digits).
  const auto bytes = parse_byte_size("1.598TiB");
  ASSERT_TRUE(bytes);
  EXPECT_NEAR(static_cast<double>(*bytes), 1756821276000.0, 1756821276000.0 * 0.0005);
  EXPECT_EQ(parse_byte_size("1.598TiB"), static_cast<uint64_t>(std::llround(1.598 * kTiB)));
}

TEST(ByteSize, AcceptsWhatGoUnitsRamInBytesAccepts) {
  EXPECT_EQ(parse_byte_size("1024GiB"), kTiB);
  EXPECT_EQ(parse_byte_size("1gib"), kGiB);
  EXPECT_EQ(parse_byte_size("1 GiB"), kGiB);
  EXPECT_EQ(parse_byte_size("1G"), kGiB);
  EXPECT_EQ(parse_byte_size("1GB"), kGiB);  // units are binary either way
  EXPECT_EQ(parse_byte_size("2k"), 2048u);
  EXPECT_EQ(parse_byte_size("1EiB"), 1024ull * 1024 * kTiB);
  EXPECT_EQ(parse_byte_size("42"), 42u);
}

TEST(ByteSize, RefusesWhatIsNotASize) {
  for (const char* text : {"", "GiB", "-1GiB", "1.GiB", ".5GiB", "1XB", "1.2.3GiB", "1GiBs",
                           "1  GiB", "NaN", "16EiB", "99999999999999999999EiB"}) {
    EXPECT_FALSE(parse_byte_size(text)) << text;
  }
}

}  // namespace
}  // namespace opr::tikv
