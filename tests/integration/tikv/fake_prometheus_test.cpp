// The pack against a stand-in Prometheus (cpp-httplib on loopback) where a
// real one cannot be made to misbehave on cue: credentials it must send,
// error statuses and answer shapes it must refuse.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "loopback_server.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

// Answers /api/v1/query as Prometheus would for tikv-sim's 3 stores, unless
// told to answer `status` with `body`; requires `authorization` when set.
class FakePrometheus {
 public:
  FakePrometheus() {
    server_.server().Get("/api/v1/query", [this](const httplib::Request& request,
                                                 httplib::Response& response) {
      std::lock_guard lock(mutex_);
      seen_authorization_.push_back(request.get_header_value("Authorization"));
      if (!authorization_.empty() && request.get_header_value("Authorization") != authorization_) {
        response.status = 401;
        response.set_content("Unauthorized\n", "text/plain");
        return;
      }
      if (!body_.empty()) {
        response.status = status_;
        response.set_content(body_, "application/json");
        return;
      }
      const bool latency = contains(request.get_param_value("query"), "histogram_quantile");
      std::string result;
      for (int id = 1; id <= 3; ++id) {
        const std::string instance = "10.0.1.1" + std::to_string(id) + ":20180";
        if (!result.empty()) result += ",";
        if (latency) {
          result += R"({"metric":{"instance":")" + instance + R"("},"value":[1,"0.002"]})";
        } else {
          result += R"({"metric":{"instance":")" + instance +
                    R"(","type":"capacity"},"value":[1,"100"]},)" + R"({"metric":{"instance":")" +
                    instance + R"(","type":"available"},"value":[1,"90"]})";
        }
      }
      response.set_content(
          R"({"status":"success","data":{"resultType":"vector","result":[)" + result + "]}}",
          "application/json");
    });
    server_.start();
  }

  std::string url() const { return server_.url(""); }
  void require(std::string authorization) {
    std::lock_guard lock(mutex_);
    authorization_ = std::move(authorization);
  }
  void answer(int status, std::string body) {
    std::lock_guard lock(mutex_);
    status_ = status;
    body_ = std::move(body);
  }
  std::vector<std::string> seen_authorization() {
    std::lock_guard lock(mutex_);
    return seen_authorization_;
  }

 private:
  std::mutex mutex_;
  std::string authorization_;
  int status_ = 200;
  std::string body_;
  std::vector<std::string> seen_authorization_;
  LoopbackServer server_;  // last: stopped before what its handler uses goes
};

std::string target(const TikvCluster& cluster, const FakePrometheus& prometheus,
                   const std::string& auth = "") {
  return "    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
         "\n    prometheus_url: " + prometheus.url() + "\n" + auth +
         "    checks:\n      store_up: {enabled: false}\n      latency: {}\n      disk_space: {}\n";
}

TEST(TikvPrometheusAuth, BearerTokenFromAFileIsSentAndNeverLogged) {
  TikvCluster cluster(3, {}, false);
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
  EXPECT_EQ(prometheus.seen_authorization().size(), 2u);
  EXPECT_FALSE(contains(run.out + run.err, "s3cret-t0ken"));  // debug logging on

  // A wrong token: Prometheus says 401 and the checks fail, naming the endpoint.
  write_file(secrets / "token", "stale");
  const CommandResult refused = host.run_once();
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  EXPECT_TRUE(contains(refused.out, "FAILED t/latency: Prometheus GET " + prometheus.url() +
                                        "/api/v1/query answered HTTP 401: Unauthorized"))
      << refused.out;
}

TEST(TikvPrometheusAuth, BasicAuthFromUserAndPasswordFile) {
  TikvCluster cluster(3, {}, false);
  FakePrometheus prometheus;
  prometheus.require("Basic b3BlcmF0b3I6cEBzcw==");  // operator:p@ss
  TempDir secrets;
  write_file(secrets / "password", "p@ss\n");
  TikvHost host(target(cluster, prometheus,
                       "    prometheus_username: operator\n    prometheus_password_file: " +
                           (secrets / "password").string() + "\n"));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_FALSE(contains(run.out + run.err, "p@ss"));
}

TEST(TikvPrometheusAuth, MissingTokenFileRefusesTheTarget) {
  TikvCluster cluster(3, {}, false);
  FakePrometheus prometheus;
  TikvHost host(
      target(cluster, prometheus, "    prometheus_bearer_token_file: /nonexistent/token\n"));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  EXPECT_TRUE(
      contains(run.out + run.err, "cannot read prometheus_bearer_token_file '/nonexistent/token'"))
      << run.out << run.err;
  EXPECT_TRUE(prometheus.seen_authorization().empty());
}

TEST(TikvPrometheusAnswers, ErrorsAndUnexpectedShapesFailTheChecks) {
  TikvCluster cluster(3, {}, false);
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
  // runs: past failure_threshold (2) each check has its :failed ticket.
  std::vector<std::string> checks;
  for (const Json& ticket : host.cli_tickets()) checks.push_back(ticket["check"]);
  std::sort(checks.begin(), checks.end());
  EXPECT_EQ(checks, (std::vector<std::string>{"disk_space:failed", "latency:failed"}));
}

}  // namespace
}  // namespace opr::test
