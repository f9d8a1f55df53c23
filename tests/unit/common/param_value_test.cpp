// Parameter text (packs' declared defaults) typed as declared, and shown back.
#include "common/param_value.h"

#include <gtest/gtest.h>

namespace opr {
namespace {

using namespace std::chrono_literals;

TEST(ParamValue, TypeNamesFollowTheAbi) {
  EXPECT_EQ(param_type_name(OP_PARAM_STRING), "string");
  EXPECT_EQ(param_type_name(OP_PARAM_INT), "int");
  EXPECT_EQ(param_type_name(OP_PARAM_FLOAT), "float");
  EXPECT_EQ(param_type_name(OP_PARAM_BOOL), "bool");
  EXPECT_EQ(param_type_name(OP_PARAM_DURATION), "duration");
  EXPECT_EQ(param_type_name(OP_PARAM_STRING_LIST), "string-list");
  EXPECT_EQ(param_type_name(0), "unknown");
  EXPECT_EQ(param_type_name(7), "unknown");
  EXPECT_TRUE(is_valid_param_type(OP_PARAM_STRING));
  EXPECT_TRUE(is_valid_param_type(OP_PARAM_STRING_LIST));
  EXPECT_FALSE(is_valid_param_type(0));
  EXPECT_FALSE(is_valid_param_type(7));
}

TEST(ParamValue, ParsesEachType) {
  EXPECT_EQ(parse_param_text(OP_PARAM_STRING, " as is "), ParamValue(std::string(" as is ")));
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, "100"), ParamValue(int64_t{100}));
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, "-7"), ParamValue(int64_t{-7}));
  EXPECT_EQ(parse_param_text(OP_PARAM_FLOAT, "0.99"), ParamValue(0.99));
  EXPECT_EQ(parse_param_text(OP_PARAM_FLOAT, "70"), ParamValue(70.0));
  EXPECT_EQ(parse_param_text(OP_PARAM_BOOL, "true"), ParamValue(true));
  EXPECT_EQ(parse_param_text(OP_PARAM_BOOL, "false"), ParamValue(false));
  EXPECT_EQ(parse_param_text(OP_PARAM_DURATION, "1m"), ParamValue(std::chrono::milliseconds(1min)));
  EXPECT_EQ(parse_param_text(OP_PARAM_STRING_LIST, "a, b ,c"),
            ParamValue(std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(parse_param_text(OP_PARAM_STRING_LIST, ""), ParamValue(std::vector<std::string>{}));
}

TEST(ParamValue, RejectsTextOfTheWrongType) {
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, "1.5"), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, "ten"), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, ""), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_INT, "99999999999999999999"), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_FLOAT, "high"), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_FLOAT, ""), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_BOOL, "yes"), std::nullopt);
  EXPECT_EQ(parse_param_text(OP_PARAM_DURATION, "60"), std::nullopt);
  EXPECT_EQ(parse_param_text(0, "x"), std::nullopt);
}

TEST(ParamValue, FormatsValuesBackToText) {
  EXPECT_EQ(format_param_value(std::string("http://pd:2379")), "http://pd:2379");
  EXPECT_EQ(format_param_value(int64_t{100}), "100");
  EXPECT_EQ(format_param_value(0.99), "0.99");
  EXPECT_EQ(format_param_value(true), "true");
  EXPECT_EQ(format_param_value(std::chrono::milliseconds(90s)), "90s");
  EXPECT_EQ(format_param_value(std::vector<std::string>{"a", "b"}), "a,b");
}

TEST(ParamValue, FormatThenParseRoundTrips) {
  const std::vector<std::pair<int32_t, std::string>> texts = {
      {OP_PARAM_INT, "-42"},     {OP_PARAM_FLOAT, "0.99"},        {OP_PARAM_BOOL, "false"},
      {OP_PARAM_DURATION, "5m"}, {OP_PARAM_STRING_LIST, "x,y,z"}, {OP_PARAM_STRING, "s"}};
  for (const auto& [type, text] : texts) {
    const auto value = parse_param_text(type, text);
    ASSERT_TRUE(value) << text;
    EXPECT_EQ(format_param_value(*value), text);
  }
}

}  // namespace
}  // namespace opr
