#include "common/percent_encoding.h"

#include <gtest/gtest.h>

namespace opr {
namespace {

TEST(PercentEncoding, KeepsUnreservedAndEncodesEveryOtherByteInUpperCaseHex) {
  EXPECT_EQ(percent_encode("a-b_c.d~e09"), "a-b_c.d~e09");
  EXPECT_EQ(percent_encode("sum(x{a!=\"b\"}[1m])"), "sum%28x%7Ba%21%3D%22b%22%7D%5B1m%5D%29");
  EXPECT_EQ(percent_encode("/tmp/pg sock"), "%2Ftmp%2Fpg%20sock");
  EXPECT_EQ(percent_encode("p@ss:w/rd"), "p%40ss%3Aw%2Frd");
  EXPECT_EQ(percent_encode("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(percent_encode(""), "");
}

TEST(PercentEncoding, DecodingGivesBackWhatWasEncoded) {
  for (const std::string text : {"p@ss:w/rd 100%", "\x01\xff", "plain"}) {
    EXPECT_EQ(percent_decode(percent_encode(text)), text);
  }
  EXPECT_EQ(percent_decode("a%2fb%2Fc"), "a/b/c");
}

TEST(PercentEncoding, DecodingRefusesAPercentWithoutTwoHexDigits) {
  EXPECT_EQ(percent_decode("100%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
}

}  // namespace
}  // namespace opr
