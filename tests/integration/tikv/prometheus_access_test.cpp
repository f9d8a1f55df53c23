// How the pack reaches Prometheus, end to end: basic auth that a real
// Prometheus enforces (its web config), a path prefix (--web.route-prefix),
// and a credentials file that cannot be read or holds more than a secret.
// tikv-sim plays the cluster and operator-host runs the pack.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fake_prometheus.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

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

// A credentials file that holds a line break inside, a CR or another
// control character would put them into the Authorization header as they
// are, where CR LF starts a header of its own. Such a file is refused, by
// name and never by content, by config check and at the monitor's start,
// and when it turns so later, at every run. The stand-in Prometheus shows
// which headers arrived; a real one cannot.
TEST(TikvPrometheusAuth, ACredentialsFileWithControlCharactersIsRefusedAndNothingIsInjected) {
  TikvCluster cluster(3, {}, false);
  FakePrometheus prometheus;
  TempDir secrets;
  const std::string token = (secrets / "token").string();
  TikvHost host("    pack: tikv\n    pd_endpoint: " + cluster.pd_url() + "\n    prometheus_url: " +
                prometheus.url() + "\n    prometheus_bearer_token_file: " + token +
                "\n    checks:\n      " + kMetricChecks + "\n");
  const std::string named = "prometheus_bearer_token_file '" + token + "' holds ";
  const auto injected = [&] {
    const std::vector<std::string> names = prometheus.seen_header_names();
    return std::count(names.begin(), names.end(), "X-Injected");
  };
  struct Case {
    std::string content;
    std::string why;
  };
  for (const Case& c : std::vector<Case>{
           {"s3cr3t\r\nX-Injected: yes\n", "a carriage return (CR)"},
           {"s3cr3t\nX-Injected: yes\n", "more than one line"},
           {"s3cr3t\r\n", "a carriage return (CR)"},
           {"s3cr3t\n\n", "more than one line"},
           {"s3c\tr3t\n", "a control character"},
           {"\x1b[2Js3cr3t", "a control character"},
       }) {
    SCOPED_TRACE(c.why);
    write_file(token, c.content);
    const CommandResult check = host.run({"config", "check"});
    const CommandResult once = host.run_once();
    EXPECT_EQ(check.exit_code, 1) << check.out << check.err;
    EXPECT_EQ(once.exit_code, 3) << once.out << once.err;
    // The monitor runs on, the target's checks failing loudly, each naming the file.
    auto monitor = host.start();
    EXPECT_TRUE(monitor->wait_for_output(named + c.why, 30s)) << monitor->err();
    const std::string monitor_err = monitor->out() + monitor->err();
    monitor.reset();
    for (const CommandResult* result : {&check, &once}) {
      EXPECT_TRUE(contains(result->err, named + c.why)) << result->err;
    }
    for (const std::string& printed : {check.out + check.err, once.out + once.err, monitor_err}) {
      EXPECT_FALSE(contains(printed, "s3cr3t") || contains(printed, "X-Injected")) << printed;
    }
  }
  EXPECT_TRUE(prometheus.seen_authorization().empty());  // nothing was sent

  // Good at the start, rewritten later: the runs fail, naming the file.
  write_file(token, "s3cr3t\n");  // one line break at the end, as echo writes it
  auto monitor = host.start();
  ASSERT_TRUE(wait_until([&] { return !prometheus.seen_authorization().empty(); }, 30s))
      << monitor->err();
  EXPECT_EQ(prometheus.seen_authorization().front(), "Bearer s3cr3t");
  write_file(token, "s3cr3t\r\nX-Injected: yes\r\n");
  ASSERT_TRUE(monitor->wait_for_output(named + "a carriage return (CR)", 30s)) << monitor->err();
  EXPECT_EQ(injected(), 0);
  EXPECT_FALSE(contains(monitor->err(), "s3cr3t")) << monitor->err();
}

}  // namespace
}  // namespace opr::test
