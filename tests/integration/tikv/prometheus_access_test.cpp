// How the pack reaches Prometheus, end to end: basic auth that a real
// Prometheus enforces (its web config), a path prefix (--web.route-prefix),
// and a credentials file that cannot be read. tikv-sim plays the cluster
// and operator-host runs the pack with --once.
#include <gtest/gtest.h>

#include <string>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

constexpr const char* kMetricChecks =
    "store_up: {enabled: false}\n      latency: {rate_window: 2s}\n      disk_space: {}";

std::string with_basic_auth(const TikvCluster& cluster, const std::filesystem::path& password) {
  return target_yaml(cluster, kMetricChecks,
                     "    prometheus_username: operator\n    prometheus_password_file: " +
                         password.string() + "\n");
}

TEST(TikvPrometheusAuth, BasicAuthIsWhatARealPrometheusAsksFor) {
  PrometheusOptions prometheus = cluster_prometheus();
  prometheus.basic_auth = basic_auth();
  TikvCluster cluster(3, {}, prometheus);
  cluster.sim().change_store(1, R"({"disk_used_percent": 80})");
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  ASSERT_TRUE(cluster.wait_for_disk_percent({{1, 80}}));
  TempDir secrets;
  write_file(secrets / "password", "p@ss w0rd\n");  // the newline is trimmed
  TikvHost host(with_basic_auth(cluster, secrets / "password"));

  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;  // WARNING: store 1's disk
  EXPECT_TRUE(contains(run.out, "OK t/latency")) << run.out;
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "open");
  EXPECT_FALSE(contains(run.out + run.err, "p@ss w0rd"));  // debug logging on

  // Prometheus refuses a wrong password: both checks fail, naming it.
  write_file(secrets / "password", "p@ss w0rd, last year's");
  const CommandResult refused = host.run_once();
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  for (const char* check : {"latency", "disk_space"}) {
    EXPECT_TRUE(contains(refused.out, "FAILED t/" + std::string(check) + ": Prometheus GET " +
                                          cluster.prometheus_url() +
                                          "/api/v1/query answered HTTP 401"))
        << refused.out;
  }
  EXPECT_FALSE(contains(refused.out + refused.err, "last year"));
}

TEST(TikvPrometheusPathPrefix, APrefixInPrometheusUrlIsKept) {
  PrometheusOptions prometheus = cluster_prometheus();
  prometheus.route_prefix = "/prom";
  TikvCluster cluster(3, {}, prometheus);
  cluster.sim().change_store(1, R"({"disk_used_percent": 80})");
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  ASSERT_TRUE(cluster.wait_for_disk_percent({{1, 80}}));
  ASSERT_TRUE(contains(cluster.prometheus_url(), "/prom"));

  // http://127.0.0.1:PORT/prom/ (target_yaml adds the slash).
  TikvHost host(target_yaml(cluster, kMetricChecks));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "OK t/latency")) << run.out;
  EXPECT_EQ(host.cli_ticket("disk_space", "1").value()["status"], "open");

  // Without the prefix this Prometheus has no API: the prefix is what worked.
  const std::string bare = "http://127.0.0.1:" + std::to_string(cluster.prometheus().port());
  TikvHost unprefixed("    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
                      "\n    prometheus_url: " + bare + "\n    checks:\n      " + kMetricChecks +
                      "\n");
  const CommandResult lost = unprefixed.run_once();
  EXPECT_EQ(lost.exit_code, 3) << lost.out << lost.err;
  EXPECT_TRUE(contains(
      lost.out, "FAILED t/latency: Prometheus GET " + bare + "/api/v1/query answered HTTP 404"))
      << lost.out;
}

TEST(TikvPrometheusAuth, AnUnreadableTokenFileRefusesTheTarget) {
  TikvCluster cluster(3, {}, false);
  TikvHost host(target_yaml(cluster, kMetricChecks,
                            "    prometheus_bearer_token_file: /nonexistent/token\n"));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_TRUE(
      contains(run.out + run.err, "cannot read prometheus_bearer_token_file '/nonexistent/token'"))
      << run.out << run.err;
}

}  // namespace
}  // namespace opr::test
