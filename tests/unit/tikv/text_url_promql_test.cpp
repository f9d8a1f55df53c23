#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "promql.h"
#include "text.h"
#include "url.h"

namespace opr::tikv {
namespace {

using std::chrono::milliseconds;

TEST(Promql, DurationsAreWrittenAsPromqlReadsThem) {
  EXPECT_EQ(promql_duration(milliseconds(60'000)), "1m");
  EXPECT_EQ(promql_duration(milliseconds(30'000)), "30s");
  EXPECT_EQ(promql_duration(milliseconds(90'000)), "90s");
  EXPECT_EQ(promql_duration(milliseconds(1'500)), "1500ms");
  EXPECT_EQ(promql_duration(milliseconds(3'600'000)), "1h");
  EXPECT_EQ(promql_duration(milliseconds(300'000)), "5m");
  EXPECT_THROW(promql_duration(milliseconds(0)), std::invalid_argument);
}

TEST(Promql, LatencyQueryGroupsByInstanceAndLeavesGcOut) {
  EXPECT_EQ(latency_query(0.99, milliseconds(60'000)),
            "histogram_quantile(0.99, sum(rate(tikv_grpc_msg_duration_seconds_bucket"
            "{type!=\"kv_gc\"}[1m])) by (le, instance))");
  EXPECT_EQ(latency_query(0.999, milliseconds(30'000)).substr(0, 26), "histogram_quantile(0.999, ");
}

TEST(Promql, LatencyFromARecordingRuleTakesTheQuantileOfIt) {
  EXPECT_EQ(
      latency_query_recorded(0.99, "instance_le:tikv_grpc_msg_duration_seconds_bucket:rate1m"),
      "histogram_quantile(0.99, instance_le:tikv_grpc_msg_duration_seconds_bucket:rate1m)");
  EXPECT_EQ(latency_query_recorded(0.999, "r"), "histogram_quantile(0.999, r)");
}

TEST(Promql, OnlyAMetricNameNamesARecordingRule) {
  EXPECT_TRUE(is_metric_name("instance_le:tikv_grpc_msg_duration_seconds_bucket:rate1m"));
  EXPECT_TRUE(is_metric_name("_x9"));
  EXPECT_TRUE(is_metric_name(":a"));
  EXPECT_FALSE(is_metric_name(""));
  EXPECT_FALSE(is_metric_name("9lives"));
  EXPECT_FALSE(is_metric_name("a{job=\"x\"}"));
  EXPECT_FALSE(is_metric_name("a) or vector(0"));
  EXPECT_FALSE(is_metric_name("a b"));
  EXPECT_FALSE(is_metric_name("a-b"));
}

TEST(Promql, DiskQueryAsksForCapacityAndAvailableInOneQuery) {
  EXPECT_EQ(disk_query(),
            "sum by (instance, type) (tikv_store_size_bytes{type=~\"capacity|available\"})");
}

TEST(Promql, QuantilesHaveTheirUsualNames) {
  EXPECT_EQ(quantile_name(0.99), "P99");
  EXPECT_EQ(quantile_name(0.999), "P99.9");
  EXPECT_EQ(quantile_name(0.5), "P50");
  EXPECT_EQ(quantile_name(1), "P100");
}

TEST(Url, TrailingSlashesAreDropped) {
  EXPECT_EQ(normalize_base_url("http://127.0.0.1:2379/", "pd_endpoint"), "http://127.0.0.1:2379");
  EXPECT_EQ(normalize_base_url(" https://prom.example:9090/prometheus// \n", "x"),
            "https://prom.example:9090/prometheus");
}

TEST(Url, BadUrlsAreRefusedNamingTheSetting) {
  try {
    normalize_base_url("127.0.0.1:2379", "'pd_endpoint' (or PD_ENDPOINT)");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(
        std::string(e.what()),
        "'pd_endpoint' (or PD_ENDPOINT) must be an http:// or https:// URL, got '127.0.0.1:2379'");
  }
  EXPECT_THROW(normalize_base_url("http://", "x"), std::invalid_argument);
  EXPECT_THROW(normalize_base_url("http://a/?x=1", "x"), std::invalid_argument);
}

TEST(Url, QueryValuesArePercentEncoded) {
  EXPECT_EQ(percent_encode("sum(x{type!=\"kv_gc\"}[1m]) by (le)"),
            "sum%28x%7Btype%21%3D%22kv_gc%22%7D%5B1m%5D%29%20by%20%28le%29");
  EXPECT_EQ(percent_encode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(percent_encode("capacity|available"), "capacity%7Cavailable");
}

TEST(Url, CredentialsAreRedacted) {
  EXPECT_EQ(redact_url("http://user:secret@pd:2379/pd/api/v1/stores"),
            "http://***@pd:2379/pd/api/v1/stores");
  EXPECT_EQ(redact_url("http://pd:2379/a@b"), "http://pd:2379/a@b");
  EXPECT_EQ(redact_url("http://pd:2379"), "http://pd:2379");
}

TEST(Text, DecimalsAndSpecialValues) {
  EXPECT_EQ(format_decimal(150, 1), "150.0");
  EXPECT_EQ(format_decimal(79.96, 1), "80.0");
  EXPECT_EQ(format_decimal(INFINITY, 1), "+Inf");
  EXPECT_EQ(format_decimal(-INFINITY, 1), "-Inf");
  EXPECT_EQ(format_decimal(NAN, 1), "NaN");
  EXPECT_EQ(format_exceeding(150, 100), "150.0");
  EXPECT_EQ(format_exceeding(70.0004, 70), "70.0004");
}

TEST(Text, BodyExcerptsAreShortAndPrintable) {
  EXPECT_EQ(body_excerpt("line1\nline2\t!"), "line1 line2 !");
  const std::string long_body(500, 'x');
  EXPECT_EQ(body_excerpt(long_body), std::string(200, 'x') + "...");
  // Never cut inside a UTF-8 sequence ("é" is two bytes).
  EXPECT_EQ(body_excerpt(std::string(199, 'a') + "\xC3\xA9" + "zzz"),
            std::string(199, 'a') + "...");
}

TEST(Text, Base64ForBasicAuth) {
  EXPECT_EQ(base64_encode("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("a"), "YQ==");
  EXPECT_EQ(base64_encode("ab"), "YWI=");
  EXPECT_EQ(base64_encode("abc"), "YWJj");
}

TEST(Text, TrimAndJoin) {
  EXPECT_EQ(trim("  token\n"), "token");
  EXPECT_EQ(trim(" \t\r\n"), "");
  EXPECT_EQ(join_ids({1, 5, 9}), "1,5,9");
  EXPECT_EQ(join_ids({}), "");
}

}  // namespace
}  // namespace opr::tikv
