// The pack against a stand-in Prometheus (fake_prometheus.h) where a real
// one cannot do the thing: check a bearer token, answer error statuses and
// answer shapes on cue. Basic auth and a path prefix, which a real
// Prometheus enforces, are in prometheus_access_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "fake_prometheus.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

std::string target(const TikvCluster& cluster, const FakePrometheus& prometheus,
                   const std::string& auth = "") {
  return "    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
         "\n    prometheus_url: " + prometheus.url() + "\n" + auth +
         "    checks:\n      store_up: {enabled: false}\n      latency: {}\n      disk_space: {}\n";
}

TEST(TikvPrometheusAuth, BearerTokenFromAFileIsSentAndNeverLogged) {
  TikvCluster cluster(3, {}, false);
  // A stand-in: Prometheus' web config cannot require a bearer token.
  FakePrometheus prometheus;
  prometheus.require("Bearer s3cret-t0ken");
  TempDir secrets;
  write_file(secrets / "token", "s3cret-t0ken\n");
  TikvHost host(target(cluster, prometheus,
                       "    prometheus_bearer_token_file: " + (secrets / "token").string() + "\n"));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_TRUE(contains(run.out, "OK t/latency")) << run.out;
  EXPECT_TRUE(contains(run.out, "OK t/disk_space")) << run.out;
  EXPECT_EQ(prometheus.seen_authorization(),
            (std::vector<std::string>{"Bearer s3cret-t0ken", "Bearer s3cret-t0ken"}));
  EXPECT_FALSE(contains(run.out + run.err, "s3cret-t0ken"));  // debug logging on

  // A wrong token: Prometheus says 401 and the checks fail, naming the endpoint.
  write_file(secrets / "token", "stale");
  const CommandResult refused = host.run_once();
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  EXPECT_TRUE(contains(refused.out, "FAILED t/latency: Prometheus GET " + prometheus.url() +
                                        "/api/v1/query answered HTTP 401: Unauthorized"))
      << refused.out;
}

TEST(TikvPrometheusAnswers, ErrorsAndUnexpectedShapesFailTheChecks) {
  TikvCluster cluster(3, {}, false);
  // A stand-in: a real Prometheus does not answer these statuses and cut or
  // mistyped bodies when asked to.
  FakePrometheus prometheus;
  TikvHost host(target(cluster, prometheus));
  const std::string request = "Prometheus GET " + prometheus.url() + "/api/v1/query";
  struct Case {
    int status;
    std::string body;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {400, R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\""})",
       request + " answered HTTP 400: bad_data: invalid parameter \"query\""},
      {200,
       R"({"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"})",
       request + " refused the query (timeout): query timed out in expression evaluation"},
      {200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
       request + " gave an unusable answer: expected resultType \"vector\", got \"matrix\""},
      {200,
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"10.0.1.11:20180"},"val)",
       request + " gave an unusable answer: malformed JSON"},
      {503, "Service Unavailable", request + " answered HTTP 503: Service Unavailable"},
  };
  for (const Case& c : cases) {
    prometheus.answer(c.status, c.body);
    const CommandResult run = host.run_once();
    EXPECT_EQ(run.exit_code, 3) << run.out;
    EXPECT_TRUE(contains(run.out, "FAILED t/latency: " + c.reason)) << run.out;
    EXPECT_TRUE(contains(run.out, "FAILED t/disk_space: " + c.reason)) << run.out;
  }
  // Nothing reported from a broken answer. Failures count across --once
  // runs: past failure_threshold (2), Prometheus' failures (all but the
  // refused query, the check's own) have one ticket for both checks.
  std::vector<std::string> checks;
  for (const Json& ticket : host.cli_tickets()) {
    checks.push_back(ticket["check"].get<std::string>() + " " +
                     ticket["subject"].get<std::string>());
  }
  EXPECT_EQ(checks, (std::vector<std::string>{":failed prometheus:" + prometheus.url()}));
}

}  // namespace
}  // namespace opr::test
