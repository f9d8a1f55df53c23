// latency and disk_space end to end: tikv-sim's /metrics scraped by a real
// Prometheus, the pack's PromQL, tickets in SQLite.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

// tikv-sim reads a store's p99 back just below the value it was set to
// (store 2, set to 100 ms, reads 99.99x ms; see tools/tikv-sim/README.md),
// so store 2 is just under the threshold, not on it: the exact boundary is
// tested on the evaluation itself (unit/tikv, ExactlyTheThresholdIsNoViolation).
TEST(TikvLatency, P99Above100msOpensAWarningAfterTheGraceAndJustBelowNothing) {
  TikvCluster cluster(3);
  cluster.sim().change_store(1, R"({"p99_ms": 150})");
  cluster.sim().change_store(2, R"({"p99_ms": 100})");
  ASSERT_TRUE(cluster.wait_for_p99_ms({{1, 150}, {2, 100}, {3, 5}}));
  TikvHost host(target_yaml(cluster,
                            "store_up: {enabled: false}\n      latency: {grace: 2s, rate_window: "
                            "2s}\n      disk_space: {enabled: false}"));

  // Seen, but still inside its grace period: no ticket yet.
  const CommandResult first = host.run_once();
  EXPECT_EQ(first.exit_code, 1) << first.out << first.err;  // WARNING
  EXPECT_FALSE(host.cli_ticket("latency", "1"));

  std::optional<Json> ticket;
  ASSERT_TRUE(wait_until(
      [&] {
        const CommandResult run = host.run_once();
        return run.exit_code == 1 && (ticket = host.cli_ticket("latency", "1")).has_value();
      },
      kPatience, std::chrono::milliseconds(250)));
  EXPECT_EQ((*ticket)["severity"], "warning");
  // tikv-sim reads back just below 150 ms (149.9x).
  EXPECT_TRUE(std::regex_match(
      (*ticket)["message"].get<std::string>(),
      std::regex(R"(Store 1 P99 latency 1(49\.9|50\.0)ms exceeds threshold 100\.0ms)")))
      << (*ticket)["message"];
  EXPECT_NEAR((*ticket)["metric_snapshot"]["p99_ms"].get<double>(), 150, 1);
  EXPECT_EQ((*ticket)["metric_snapshot"]["address"], "10.0.1.11:20160");
  // Just below the threshold (store 2) and far below it (store 3): never.
  EXPECT_FALSE(host.cli_ticket("latency", "2"));
  EXPECT_FALSE(host.cli_ticket("latency", "3"));
}

// latency from a recording rule of its inner sum (README, "Query cost"): the
// same ticket as from the raw buckets, once the rule has a value.
TEST(TikvLatency, FromARecordingRuleTheSameTicket) {
  PrometheusOptions prometheus = cluster_prometheus();
  prometheus.rules =
      "groups:\n  - name: operator-tikv\n    rules:\n"
      "      - record: instance_le:tikv_grpc_msg_duration_seconds_bucket:rate2s\n"
      "        expr: sum by (le, instance) "
      "(rate(tikv_grpc_msg_duration_seconds_bucket{type!=\"kv_gc\"}[2s]))\n";
  TikvCluster cluster(3, {}, prometheus);
  cluster.sim().change_store(1, R"({"p99_ms": 150})");
  ASSERT_TRUE(cluster.wait_for_p99_ms({{1, 150}, {3, 5}}));
  TikvHost host(target_yaml(
      cluster,
      "store_up: {enabled: false}\n      latency: {grace: 0s, rate_window: 2s, recording_rule: "
      "'instance_le:tikv_grpc_msg_duration_seconds_bucket:rate2s'}\n      disk_space: {enabled: "
      "false}"));
  std::optional<Json> ticket;
  ASSERT_TRUE(wait_until(
      [&] {
        host.run_once();
        return (ticket = host.cli_ticket("latency", "1")).has_value();
      },
      kPatience, std::chrono::milliseconds(250)));
  EXPECT_TRUE(std::regex_match(
      (*ticket)["message"].get<std::string>(),
      std::regex(R"(Store 1 P99 latency 1(49\.9|50\.0)ms exceeds threshold 100\.0ms)")))
      << (*ticket)["message"];
  EXPECT_FALSE(host.cli_ticket("latency", "3"));
}

// The ABI cannot bound a string: a recording_rule that is no metric name
// fails the run before any query is built from it.
TEST(TikvLatency, ARecordingRuleThatIsNoMetricNameFailsTheRun) {
  TikvCluster cluster(1);
  TikvHost host(target_yaml(cluster,
                            "store_up: {enabled: false}\n      latency: {recording_rule: 'up) or "
                            "vector(1'}\n      disk_space: {enabled: false}"));
  const CommandResult run = host.run_once();
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.out.find("latency: recording_rule must be a metric name "
                         "([a-zA-Z_:][a-zA-Z0-9_:]*), got 'up) or vector(1'"),
            std::string::npos)
      << run.out << run.err;
}

// As with latency, a store set to 70 % reads just below it (the largest whole
// byte count under 70 %); the exact boundary is a unit test.
TEST(TikvDiskSpace, EightyPercentOpensATicketAndJustBelowSeventyNothing) {
  TikvCluster cluster(3);
  cluster.sim().change_store(1, R"({"disk_used_percent": 80})");
  cluster.sim().change_store(2, R"({"disk_used_percent": 70})");
  ASSERT_TRUE(cluster.wait_for_disk_percent({{1, 80}, {2, 70}, {3, 30}}));
  TikvHost host(target_yaml(
      cluster,
      "store_up: {enabled: false}\n      latency: {enabled: false}\n      disk_space: {}"));

  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  const auto ticket = host.cli_ticket("disk_space", "1");
  ASSERT_TRUE(ticket) << run.out;
  EXPECT_EQ((*ticket)["message"], "Store 1 disk usage 80.0% exceeds threshold 70.0%");
  EXPECT_EQ((*ticket)["severity"], "warning");
  const Json& facts = (*ticket)["metric_snapshot"];
  EXPECT_NEAR(facts["used_percent"].get<double>(), 80, 0.001);
  EXPECT_EQ(facts["capacity_bytes"].get<double>(), 1099511627776.0);  // tikv-sim's 1 TiB
  EXPECT_NEAR(facts["available_bytes"].get<double>(), 1099511627776.0 * 0.2, 1);
  EXPECT_FALSE(host.cli_ticket("disk_space", "2"));
  EXPECT_FALSE(host.cli_ticket("disk_space", "3"));

  // Back under the threshold: resolved at the next successful run.
  cluster.sim().change_store(1, R"({"disk_used_percent": 40})");
  ASSERT_TRUE(cluster.wait_for_disk_percent({{1, 40}}));
  const CommandResult healed = host.run_once();
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "resolved");
}

// Issue 7: the work per cycle does not grow in requests with the cluster:
// the three store checks together ask PD for the store list once (store_up;
// the metric checks reuse it), pd_health asks for PD's members and their
// health (issue 17), and Prometheus is asked once per metric.
TEST(TikvRequests, ACycleAsksPdOnceAndPrometheusOncePerMetric) {
  TikvCluster cluster(20);
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  TikvHost host(target_yaml(cluster, "latency: {rate_window: 2s}"));
  const auto prometheus_queries = [&] {
    const auto metrics = cluster.prometheus().get("/metrics");
    const std::regex line(
        R"re(prometheus_http_requests_total\{code="200",handler="/api/v1/query"\} (\d+))re");
    std::smatch match;
    return std::regex_search(metrics.body, match, line) ? std::stoull(match[1]) : 0ull;
  };
  const uint64_t pd_before = cluster.sim().pd_requests();
  const uint64_t prometheus_before = prometheus_queries();
  const CommandResult run = host.run_once();
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(cluster.sim().pd_requests() - pd_before, 1u + 2u);
  EXPECT_EQ(prometheus_queries() - prometheus_before, 2u);
}

}  // namespace
}  // namespace opr::test
