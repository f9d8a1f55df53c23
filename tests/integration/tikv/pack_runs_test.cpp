// Runs of the built tikv pack through the host's PackInstance
// (tikv_instance.h), against tikv-sim and a real Prometheus scraping it:
// what one run tells the host (violations, unknown stores with their
// reasons, run facts, log lines), and what one instance keeps across runs
// (the store list it reuses, credentials read again).
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <string>
#include <vector>

#include "fake_prometheus.h"
#include "loopback_server.h"
#include "tikv_cluster.h"
#include "tikv_instance.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCapacity = "tikv_store_size_bytes{type=\"capacity\"}";

TEST(TikvPackRuns, EachUnknownStoreIsReportedWithItsReasonAndOneWarningForAll) {
  TikvCluster cluster(4);
  cluster.sim().change_store(4, R"({"disk_used_percent": 80})");
  ASSERT_TRUE(cluster.wait_for_disk_percent({{4, 80}}));
  // Store 2 runs without a disk series; store 3 is Disconnected (silent).
  cluster.sim().change_store(2, R"({"disk_metric": "missing"})");
  cluster.sim().change_store(3, R"({"state_name": "Disconnected"})");
  ASSERT_TRUE(cluster.wait_for_stores(kCapacity, {1, 4}));

  LogCapture log;
  TikvInstance instance(target_yaml(cluster, "disk_space: {}"));
  const plugins::RunResult result = instance.run("disk_space");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(violation_subjects(result), std::vector<std::string>{"4"});
  ASSERT_EQ(unknown_subjects(result), (std::vector<std::string>{"2", "3"}));
  const std::string no_series =
      "no tikv_store_size_bytes series for store 2 (instance 10.0.1.12:20180)";
  const std::string disconnected = "store 3 is Disconnected: its metrics are not evaluated";
  EXPECT_EQ(result.unknown[0].reason, no_series);
  EXPECT_EQ(result.unknown[1].reason, disconnected);
  EXPECT_EQ(fact(result, "stores_expected"), "3");      // Up and Offline: 1, 2, 4
  EXPECT_EQ(fact(result, "stores_with_metrics"), "2");  // 1 and 4
  EXPECT_EQ(fact(result, "stores_unknown"), "2");
  EXPECT_EQ(fact(result, "stores_unknown_ids"), "2,3");
  EXPECT_EQ(fact(result, "unmatched_series"), std::nullopt);
  EXPECT_EQ(log.lines("warning"),
            std::vector<std::string>{"[tikv/t] disk_space: 2 of 4 stores not evaluated (unknown; "
                                     "their tickets stay as they are): " +
                                     no_series + "; " + disconnected});
}

TEST(TikvPackRuns, UnknownStoresAreCountedAndAtMost100IdsListed) {
  constexpr int kStores = 103;
  TikvCluster cluster(kStores);
  // Stores 2 to 103 Disconnected: 102 unknown, in ascending order although
  // PD shuffles its list on every call.
  for (int id = kStores; id >= 2; --id) {
    cluster.sim().change_store(id, R"({"state_name": "Disconnected"})");
  }
  ASSERT_TRUE(cluster.wait_for_stores(kCapacity, {1}));
  LogCapture log;
  // Each run asks PD, so that it sees the states changed between runs.
  TikvInstance instance(target_yaml(cluster, "disk_space: {}", "    store_list_max_age: 0s\n"));

  const plugins::RunResult result = instance.run("disk_space");
  ASSERT_TRUE(result.ok) << result.error;
  std::string first_100;
  std::vector<std::string> all_ids;
  for (int id = 2; id <= kStores; ++id) {
    all_ids.push_back(std::to_string(id));
    if (id <= 101) first_100 += (first_100.empty() ? "" : ",") + std::to_string(id);
  }
  EXPECT_EQ(unknown_subjects(result), all_ids);
  EXPECT_EQ(fact(result, "stores_unknown"), "102");
  EXPECT_EQ(fact(result, "stores_unknown_ids"), first_100 + ",... (2 more)");
  EXPECT_EQ(fact(result, "stores_expected"), "1");
  // One warning line for all of them: five reasons, then the count.
  const auto warnings = log.lines("warning");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_TRUE(warnings[0].starts_with(
      "[tikv/t] disk_space: 102 of 103 stores not evaluated (unknown; their tickets stay as they "
      "are): store 2 is Disconnected: its metrics are not evaluated; store 3 is"))
      << warnings[0];
  EXPECT_TRUE(
      warnings[0].ends_with("; store 6 is Disconnected: its metrics are not evaluated; "
                            "and 97 more"))
      << warnings[0];

  // Exactly 100: all listed, no "more".
  cluster.sim().change_store(102, R"({"state_name": "Up"})");
  cluster.sim().change_store(103, R"({"state_name": "Up"})");
  ASSERT_TRUE(cluster.wait_for_stores(kCapacity, {1, 102, 103}));
  const plugins::RunResult hundred = instance.run("disk_space");
  ASSERT_TRUE(hundred.ok) << hundred.error;
  EXPECT_EQ(fact(hundred, "stores_unknown"), "100");
  EXPECT_EQ(fact(hundred, "stores_unknown_ids"), first_100);

  // None: counted as 0, no list.
  for (int id = 2; id <= 101; ++id) cluster.sim().change_store(id, R"({"state_name": "Up"})");
  std::vector<int> every_store;
  for (int id = 1; id <= kStores; ++id) every_store.push_back(id);
  ASSERT_TRUE(cluster.wait_for_stores(kCapacity, every_store));
  const plugins::RunResult none = instance.run("disk_space");
  ASSERT_TRUE(none.ok) << none.error;
  EXPECT_TRUE(none.unknown.empty());
  EXPECT_EQ(fact(none, "stores_unknown"), "0");
  EXPECT_EQ(fact(none, "stores_unknown_ids"), std::nullopt);
}

TEST(TikvPackRuns, EveryStoreUnknownFailsTheRunWithoutUnknownFacts) {
  TikvCluster cluster(3);
  ASSERT_TRUE(cluster.wait_for_disk_percent({}));
  cluster.sim().change_store(1, R"({"disk_metric": "zero_capacity"})");
  cluster.sim().change_store(2, R"({"disk_metric": "nan"})");
  cluster.sim().change_store(3, R"({"disk_metric": "no_available"})");
  ASSERT_TRUE(wait_until(
      [&] {
        const auto capacity = cluster.prometheus().query(kCapacity);
        const auto available =
            cluster.prometheus().query("tikv_store_size_bytes{type=\"available\"}");
        return capacity.contains(status_address(1)) && capacity.at(status_address(1)) == 0 &&
               available.contains(status_address(2)) &&
               std::isnan(available.at(status_address(2))) &&
               !available.contains(status_address(3));
      },
      kPatience, 200ms));

  TikvInstance instance(target_yaml(cluster, "disk_space: {}"));
  const plugins::RunResult result = instance.run("disk_space");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "no store could be evaluated: all 3 stores are unknown: store 1's "
            "tikv_store_size_bytes capacity is 0 bytes: there is no usage to measure; store 2's "
            "tikv_store_size_bytes available is NaN, an unusable value; store 3 has a "
            "tikv_store_size_bytes capacity series but no available one");
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(fact(result, "stores_expected"), "3");
  // A failed run saw no store: 0 unknown would read as "saw them all".
  EXPECT_EQ(fact(result, "stores_unknown"), std::nullopt);
  EXPECT_EQ(fact(result, "stores_unknown_ids"), std::nullopt);
}

TEST(TikvPackRuns, SeriesOfNoListedStoreAreCountedAndLoggedWithAnExample) {
  // PD lists stores 1 to 3; Prometheus scrapes another cluster that also
  // has store 4 (10.0.1.14:20180), which this PD does not know.
  SimProcess pd(3);
  TikvCluster scraped(4);
  ASSERT_TRUE(scraped.wait_for_disk_percent({}));
  LogCapture log;
  TikvInstance instance("    pack: tikv\n    pd_endpoint: http://" + pd.address() +
                        "\n    prometheus_url: " + scraped.prometheus_url() + "\n");
  const plugins::RunResult result = instance.run("disk_space");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(fact(result, "unmatched_series"), "2");  // capacity and available
  EXPECT_EQ(fact(result, "stores_with_metrics"), "3");
  const auto debug = log.lines("debug");
  EXPECT_EQ(std::count(debug.begin(), debug.end(),
                       "[tikv/t] disk_space: 2 series match no store's status_address, e.g. "
                       "'10.0.1.14:20180'"),
            1)
      << log.text();
}

// --- what one instance keeps across runs ----------------------------------

TEST(TikvPackRuns, TheStoreListIsReusedForStoreListMaxAgeAndZeroAsksPdEveryRun) {
  TikvCluster cluster(3);
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  ASSERT_TRUE(cluster.wait_for_disk_percent({}));
  const std::string checks = "latency: {rate_window: 2s}";
  const auto pd_requests_of = [&](TikvInstance& instance, const std::vector<std::string>& runs) {
    const uint64_t before = cluster.sim().pd_requests();
    for (const std::string& check : runs) {
      const plugins::RunResult result = instance.run(check);
      EXPECT_TRUE(result.ok) << check << ": " << result.error;
    }
    return cluster.sim().pd_requests() - before;
  };
  const std::vector<std::string> cycle = {"store_up", "latency", "disk_space"};

  TikvInstance reusing(target_yaml(cluster, checks));  // 30s by default
  EXPECT_EQ(pd_requests_of(reusing, cycle), 1u);
  EXPECT_EQ(pd_requests_of(reusing, {"latency", "disk_space"}), 0u);

  TikvInstance fresh(target_yaml(cluster, checks, "    store_list_max_age: 0s\n"));
  EXPECT_EQ(pd_requests_of(fresh, cycle), 3u);
  EXPECT_EQ(pd_requests_of(fresh, {"latency", "disk_space"}), 2u);
}

TEST(TikvPackRuns, TombstoneStoresFromStoreUpAreNotEvaluatedWhenTheListIsReused) {
  TikvCluster cluster(3);
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  ASSERT_TRUE(cluster.wait_for_disk_percent({}));
  cluster.sim().change_store(3, R"({"state_name": "Tombstone"})");  // and silent
  TikvInstance instance(target_yaml(
      cluster, "store_up: {include_tombstone: true}\n      latency: {rate_window: 2s}"));
  const uint64_t pd_before = cluster.sim().pd_requests();

  const plugins::RunResult store_up = instance.run("store_up");
  ASSERT_TRUE(store_up.ok) << store_up.error;
  ASSERT_EQ(violation_subjects(store_up), std::vector<std::string>{"3"});
  EXPECT_EQ(store_up.violations[0].message, "Store 3 at 10.0.1.13:20160 is Tombstone");

  for (const char* check : {"latency", "disk_space"}) {
    SCOPED_TRACE(check);
    const plugins::RunResult result = instance.run(check);
    ASSERT_TRUE(result.ok) << result.error;
    EXPECT_TRUE(result.violations.empty());
    EXPECT_TRUE(result.unknown.empty()) << result.unknown[0].reason;
    EXPECT_EQ(fact(result, "stores_expected"), "2");
    EXPECT_EQ(fact(result, "stores_unknown"), "0");
  }
  // The list store_up fetched, Tombstone store and all, is the one reused.
  EXPECT_EQ(cluster.sim().pd_requests() - pd_before, 1u);
}

TEST(TikvPackCredentials, TheBearerTokenFileIsReadAgainAtEveryRun) {
  TikvCluster cluster(3, {}, false);
  // A stand-in: a real Prometheus cannot require a bearer token, nor show
  // which one it got.
  FakePrometheus prometheus;
  TempDir secrets;
  const std::filesystem::path token = secrets / "token";
  write_file(token, "  first-t0ken \n");  // surrounding whitespace is trimmed
  LogCapture log;
  TikvInstance instance("    pack: tikv\n    pd_endpoint: " + cluster.pd_url() +
                        "\n    prometheus_url: " + prometheus.url() +
                        "\n    prometheus_bearer_token_file: " + token.string() + "\n");

  plugins::RunResult result = instance.run("latency");
  ASSERT_TRUE(result.ok) << result.error;
  write_file(token, "second-t0ken\n");
  result = instance.run("disk_space");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(prometheus.seen_authorization(),
            (std::vector<std::string>{"Bearer first-t0ken", "Bearer second-t0ken"}));

  // Gone or emptied since creation: the run fails, naming the file.
  std::filesystem::remove(token);
  result = instance.run("latency");
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(result.error.starts_with("cannot read prometheus_bearer_token_file '" +
                                       token.string() + "': "))
      << result.error;
  write_file(token, "\n");
  result = instance.run("latency");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "prometheus_bearer_token_file '" + token.string() + "' is empty");
  EXPECT_EQ(prometheus.seen_authorization().size(), 2u) << "asked without a token";
  EXPECT_FALSE(contains(log.text(), "t0ken")) << log.text();
}

TEST(TikvPackCredentials, TheBasicAuthPasswordFileIsReadAgainAtEveryRun) {
  PrometheusOptions options = cluster_prometheus();
  options.basic_auth = basic_auth();
  TikvCluster cluster(3, {}, options);
  ASSERT_TRUE(cluster.wait_for_disk_percent({}));
  TempDir secrets;
  write_file(secrets / "password", "p@ss w0rd");
  TikvInstance instance(target_yaml(cluster, "disk_space: {}",
                                    "    prometheus_username: operator\n"
                                    "    prometheus_password_file: " +
                                        (secrets / "password").string() + "\n"));

  plugins::RunResult result = instance.run("disk_space");
  EXPECT_TRUE(result.ok) << result.error;
  write_file(secrets / "password", "rotated away");
  result = instance.run("disk_space");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(
      result.error.rfind(
          "Prometheus GET " + cluster.prometheus_url() + "/api/v1/query answered HTTP 401", 0),
      0u)
      << result.error;
  write_file(secrets / "password", "p@ss w0rd\n");
  result = instance.run("disk_space");
  EXPECT_TRUE(result.ok) << result.error;
}

// PD in front of tikv-sim, noting whether each request carried an
// Authorization header: a stand-in, because tikv-sim does not show the
// headers it got. The answers are tikv-sim's own.
class RecordingPd {
 public:
  explicit RecordingPd(const SimProcess& sim) : sim_(sim) {
    server_.server().Get("/pd/api/v1/stores",
                         [this](const httplib::Request& request, httplib::Response& response) {
                           {
                             std::lock_guard lock(mutex_);
                             authorization_.push_back(request.get_header_value("Authorization"));
                           }
                           const HttpResult answer = sim_.get(request.path);
                           response.status = answer.status;
                           response.set_content(answer.body, answer.content_type.c_str());
                         });
    server_.start();
  }

  std::string url() const { return server_.url(""); }
  // The Authorization header of every request so far ("" when none).
  std::vector<std::string> authorization() {
    std::lock_guard lock(mutex_);
    return authorization_;
  }

 private:
  const SimProcess& sim_;
  std::mutex mutex_;
  std::vector<std::string> authorization_;
  LoopbackServer server_;  // last: stopped before what its handler uses goes
};

TEST(TikvPackCredentials, PdGetsNoCredentials) {
  PrometheusOptions options = cluster_prometheus();
  options.basic_auth = basic_auth();
  TikvCluster cluster(3, {}, options);
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  ASSERT_TRUE(cluster.wait_for_disk_percent({}));
  RecordingPd pd(cluster.sim());
  // Stand-in for the bearer token, which a real Prometheus cannot require.
  FakePrometheus bearer_prometheus;
  bearer_prometheus.require("Bearer t0ken");
  TempDir secrets;
  write_file(secrets / "password", "p@ss w0rd\n");
  write_file(secrets / "token", "t0ken\n");

  const std::string common = "    pack: tikv\n    pd_endpoint: " + pd.url() +
                             "\n    store_list_max_age: 0s\n"
                             "    checks: {latency: {rate_window: 2s}}\n";
  const std::vector<std::string> targets = {
      common + "    prometheus_url: " + cluster.prometheus_url() +
          "\n    prometheus_username: operator\n    prometheus_password_file: " +
          (secrets / "password").string() + "\n",
      common + "    prometheus_url: " + bearer_prometheus.url() +
          "\n    prometheus_bearer_token_file: " + (secrets / "token").string() + "\n"};
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    TikvInstance instance(target);
    for (const char* check : {"store_up", "latency", "disk_space"}) {
      const plugins::RunResult result = instance.run(check);
      EXPECT_TRUE(result.ok) << check << ": " << result.error;  // so Prometheus got them
    }
  }
  // Three checks, each asking PD (store_list_max_age: 0s), per target.
  EXPECT_EQ(pd.authorization(), std::vector<std::string>(6, ""));
}

}  // namespace
}  // namespace opr::test
