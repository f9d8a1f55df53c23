#include "prom_vector.h"

#include <gtest/gtest.h>

#include <cmath>

#include "fixture.h"

namespace opr::tikv {
namespace {

using test::parse_vector;
using test::vector_answer;

TEST(PromVector, ReadsInstanceTypeAndValues) {
  const auto samples = parse_vector(vector_answer({{"10.0.1.11:20180", "", "0.15"},
                                                   {"10.0.1.12:20180", "", "NaN"},
                                                   {"10.0.1.13:20180", "", "+Inf"},
                                                   {"10.0.1.14:20180", "capacity", "1.8e+12"}}));
  ASSERT_EQ(samples.size(), 4u);
  EXPECT_EQ(samples[0].instance, "10.0.1.11:20180");
  EXPECT_EQ(samples[0].type, "");
  EXPECT_DOUBLE_EQ(samples[0].value, 0.15);
  EXPECT_TRUE(std::isnan(samples[1].value));
  EXPECT_TRUE(std::isinf(samples[2].value) && samples[2].value > 0);
  EXPECT_EQ(samples[3].type, "capacity");
  EXPECT_DOUBLE_EQ(samples[3].value, 1.8e12);
}

TEST(PromVector, ReadsARealPrometheusAnswerWithOtherLabelsAndWarnings) {
  // As Prometheus 2.42 writes it: labels in any order, values as strings.
  const auto samples = parse_vector(R"({"status":"success","data":{"resultType":"vector","result":[
    {"metric":{"__name__":"x","instance":"127.0.0.1:20180","job":"tikv","type":"available"},
     "value":[1741595415.087,"858993459200"]}]},"warnings":["something"]})");
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].instance, "127.0.0.1:20180");
  EXPECT_EQ(samples[0].type, "available");
  EXPECT_DOUBLE_EQ(samples[0].value, 858993459200.0);
}

TEST(PromVector, EmptyResultIsAnEmptyVector) {
  EXPECT_TRUE(parse_vector(vector_answer({})).empty());
}

TEST(PromVector, ErrorStatusCarriesTypeAndMessage) {
  try {
    parse_vector(
        R"({"status":"error","errorType":"bad_data","error":"1:13: parse error: unexpected \"}\""})");
    FAIL() << "an error answer parsed";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.error_type(), "bad_data");
    EXPECT_EQ(e.error(), "1:13: parse error: unexpected \"}\"");
    EXPECT_NE(std::string(e.what()).find("bad_data"), std::string::npos);
  }
}

TEST(PromVector, OtherResultTypesAreRefused) {
  const std::string scalar =
      R"({"status":"success","data":{"resultType":"scalar","result":[1741595415.087,"1"]}})";
  const std::string matrix =
      R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]}]}})";
  for (const auto& [body, type] : {std::pair{scalar, "scalar"}, std::pair{matrix, "matrix"}}) {
    try {
      parse_vector(body);
      FAIL() << type;
    } catch (const ResponseError& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("expected resultType \"vector\", got \"") + type + "\"");
    }
  }
}

TEST(PromVector, BrokenAnswersAreRefused) {
  const std::string good = vector_answer({{"a:1", "", "0.1"}, {"b:1", "", "0.2"}});
  const std::vector<std::string> broken = {
      good.substr(0, good.size() / 2),
      good + "]",
      "",
      "<html>oops</html>",
      R"({"data":{"resultType":"vector","result":[]}})",                     // no status
      R"({"status":"pending","data":{"resultType":"vector","result":[]}})",  // unknown status
      R"({"status":"success"})",                                             // no data
      R"({"status":"success","data":{"resultType":"vector"}})",              // no result
      vector_answer({{"a:1", "", "fast"}}),                                  // not a number
      vector_answer({{"a:1", "", "12abc"}}),
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}})",  // no
                                                                                          // value
  };
  for (const std::string& body : broken) {
    EXPECT_THROW(parse_vector(body), ResponseError) << body.substr(0, 90);
  }
}

TEST(PromVector, SampleValuesAsPrometheusWritesThem) {
  EXPECT_EQ(parse_sample_value("0.15"), 0.15);
  EXPECT_EQ(parse_sample_value("1e-05"), 1e-05);
  EXPECT_EQ(parse_sample_value("100"), 100.0);
  EXPECT_EQ(parse_sample_value("-3.5"), -3.5);
  EXPECT_TRUE(std::isnan(*parse_sample_value("NaN")));
  EXPECT_EQ(parse_sample_value("+Inf"), INFINITY);
  EXPECT_EQ(parse_sample_value("-Inf"), -INFINITY);
  EXPECT_FALSE(parse_sample_value(""));
  EXPECT_FALSE(parse_sample_value("12abc"));
  EXPECT_FALSE(parse_sample_value(" 1"));
}

TEST(PromVector, TenThousandSeriesParse) {
  std::vector<test::Series> series;
  for (int i = 0; i < 10000; ++i) {
    series.push_back({"10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":20180",
                      "", i % 7 == 0 ? "NaN" : "0.0" + std::to_string(i % 10)});
  }
  const auto samples = parse_vector(vector_answer(series));
  ASSERT_EQ(samples.size(), 10000u);
  EXPECT_EQ(samples[9999].instance, "10.0.39.249:20180");
}

// ---- bounds: whatever answers as Prometheus costs at most this much --------

TEST(PromVector, MoreSeriesThanTheLimitAreRefused) {
  std::string body = R"({"status":"success","data":{"resultType":"vector","result":[)";
  for (size_t i = 0; i <= kMaxSeries; ++i) body += R"({"metric":{},"value":[1,"1"]},)";
  body.back() = ']';
  body += "}}";
  try {
    parse_vector(body);
    FAIL() << "accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(std::string(e.what()), "the answer has more than " + std::to_string(kMaxSeries) +
                                         " series, the most the pack reads");
  }
}

TEST(PromVector, TextFromTheAnswerIsCutInMessages) {
  const std::string huge(1 << 20, 'e');
  try {
    parse_vector(R"({"status":"error","errorType":"bad_data","error":")" + huge + R"("})");
    FAIL() << "accepted";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.error(), std::string(512, 'e') + "...");
    EXPECT_LT(std::string(e.what()).size(), 700u);
  }
  try {
    parse_vector(R"({"status":")" + huge + R"(","data":{"resultType":"vector","result":[]}})");
    FAIL() << "accepted";
  } catch (const ResponseError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown status \"" + std::string(512, 'e') + "...\"");
  }
}

TEST(PromVector, AnyBytesGiveSamplesOrAnError) {
  // What the fuzz target (tests/fuzz/fuzz_prom_vector.cpp) checks, on
  // bodies at the edges: NUL, deep nesting, invalid UTF-8, wrong types.
  for (const std::string& body :
       {std::string(1, '\0'), std::string(100'000, '['), std::string("{\"status\":1}"),
        std::string("{\"status\":\"success\",\"data\":[]}"), std::string("\xff\xfe\xfd"),
        std::string("{\"status\":\"success\",\"data\":{\"result\":[{\"value\":[1,2]}]}}"),
        std::string(R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":[],"value":[]}]}})")}) {
    SCOPED_TRACE(body.substr(0, 80));
    EXPECT_THROW(parse_vector(body), ResponseError);
  }
}

}  // namespace
}  // namespace opr::tikv
