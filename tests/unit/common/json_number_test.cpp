// The one rule for a number fact (sdk/include/operator/json_number.hpp): a
// finite JSON number literal, as packs write it and the host accepts it.
#include <operator/json_number.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace opr::sdk {
namespace {

TEST(JsonNumber, AcceptsJsonNumberLiterals) {
  for (const char* text : {"0", "-0", "7", "150.2", "-3.5e2", "1E+3", "2e-7", "0.000",
                           "18446744073709551616", "1.7976931348623157e308", "1e-400"}) {
    EXPECT_TRUE(is_finite_json_number(text)) << text;
  }
}

TEST(JsonNumber, RefusesWhatJsonDoesNotCallANumber) {
  for (const char* text :
       {"",   "-",   "+1",  ".5",  "5.",   "01",   "-01",      "0x10", "1e",    "1e+",   " 5",
        "5 ", "NaN", "nan", "Inf", "+Inf", "-Inf", "infinity", "1,5",  "1.2.3", "\"1\"", "true"}) {
    EXPECT_FALSE(is_finite_json_number(text)) << text;
  }
}

TEST(JsonNumber, RefusesLiteralsBeyondADouble) {
  for (const char* text : {"1e999", "-1e309", "1.8e308", "100000e99999999999999999999"}) {
    EXPECT_FALSE(is_finite_json_number(text)) << text;
  }
  EXPECT_TRUE(is_finite_json_number("0e99999999999999999999"));
  EXPECT_TRUE(is_finite_json_number("0.001e-99999999999999999999"));
}

TEST(JsonNumber, WritesTheShortestTextThatReadsBack) {
  EXPECT_EQ(json_number_text(3130.6), "3130.6");
  EXPECT_EQ(json_number_text(0.1), "0.1");
  EXPECT_EQ(json_number_text(-2), "-2");
  EXPECT_EQ(json_number_text(1e300), "1e+300");
  EXPECT_TRUE(is_finite_json_number(*json_number_text(1e300)));
  EXPECT_TRUE(is_finite_json_number(*json_number_text(std::numeric_limits<double>::denorm_min())));
}

TEST(JsonNumber, WritesNoTextForNaNOrInfinities) {
  EXPECT_EQ(json_number_text(std::numeric_limits<double>::quiet_NaN()), std::nullopt);
  EXPECT_EQ(json_number_text(std::numeric_limits<double>::infinity()), std::nullopt);
  EXPECT_EQ(json_number_text(-std::numeric_limits<double>::infinity()), std::nullopt);
}

}  // namespace
}  // namespace opr::sdk
