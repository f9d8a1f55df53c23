// tikv-sim scraped by a real Prometheus: the PromQL the TiKV pack runs gives
// back the configured p99 and disk usage.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include "prometheus_server.h"
#include "sim_process.h"

namespace opr::test {
namespace {

using std::chrono::seconds;

constexpr const char* kP99Query =
    "histogram_quantile(0.99, sum(rate(tikv_grpc_msg_duration_seconds_bucket[3s])) by (le, "
    "instance))";
constexpr const char* kDiskQuery =
    "100 * sum(tikv_store_size_bytes{type=\"used\"}) by (instance) / "
    "sum(tikv_store_size_bytes{type=\"capacity\"}) by (instance)";

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TEST(SimWithPrometheus, HistogramQuantileGivesBackTheConfiguredP99AndDiskUsage) {
  SimProcess sim(3);
  sim.change_store(1, R"({"p99_ms": 150, "disk_used_percent": 80})");
  sim.change_store(2, R"({"p99_ms": 100, "disk_used_percent": 70})");
  PrometheusServer prometheus({sim.address()}, std::chrono::milliseconds(500));
  ASSERT_TRUE(prometheus.wait_ready(seconds(60)));

  // Once the rate window holds only samples taken after the changes.
  std::map<std::string, double> p99;
  const bool settled = wait_until(
      [&] {
        p99 = prometheus.query(kP99Query);
        return p99.size() == 3 && std::abs(p99["10.0.1.11:20180"] - 0.150) < 0.0015 &&
               std::abs(p99["10.0.1.12:20180"] - 0.100) < 0.001;
      },
      seconds(30), std::chrono::milliseconds(250));
  ASSERT_TRUE(settled) << "p99 of store 1: " << p99["10.0.1.11:20180"]
                       << ", store 2: " << p99["10.0.1.12:20180"];
  EXPECT_GT(p99["10.0.1.11:20180"], 0.100);
  EXPECT_NEAR(0.005, p99["10.0.1.13:20180"], 0.00005);

  // At every evaluation time from then on, the exact 100 ms stays at or
  // below 100 ms (a strict "> 100 ms" threshold must not fire), and 150 ms
  // stays within 0.1 %.
  const double from = unix_now();
  ASSERT_TRUE(wait_until([&] { return unix_now() > from + 2.5; }, seconds(10)));
  for (double at = from; at <= from + 2.0; at += 0.125) {
    const auto values = prometheus.query(kP99Query, at);
    ASSERT_EQ(3u, values.size()) << "at " << at;
    EXPECT_LE(values.at("10.0.1.12:20180") * 1000.0, 100.0) << "at " << at;
    EXPECT_GT(values.at("10.0.1.12:20180") * 1000.0, 99.9) << "at " << at;
    EXPECT_NEAR(150.0, values.at("10.0.1.11:20180") * 1000.0, 0.15) << "at " << at;
  }

  const auto disk = prometheus.query(kDiskQuery);
  ASSERT_EQ(3u, disk.size());
  EXPECT_NEAR(80.0, disk.at("10.0.1.11:20180"), 1e-6);
  EXPECT_GT(disk.at("10.0.1.11:20180"), 70.0);
  EXPECT_LE(disk.at("10.0.1.12:20180"), 70.0);
  EXPECT_NEAR(70.0, disk.at("10.0.1.12:20180"), 1e-6);
  EXPECT_NEAR(30.0, disk.at("10.0.1.13:20180"), 1e-6);
}

// instance -> type -> value of the TiKV pack's disk query.
std::map<std::string, std::map<std::string, double>> disk_sizes(
    const PrometheusServer& prometheus) {
  std::map<std::string, std::map<std::string, double>> sizes;
  for (const auto& [labels, value] : prometheus.query_samples(
           R"(sum by (instance, type) (tikv_store_size_bytes{type=~"capacity|available"}))")) {
    sizes[labels.value("instance", "")][labels.value("type", "")] = value;
  }
  return sizes;
}

// The raft process histograms play their P99.9 (the quantile the pack's
// raft_process_* checks read) as the gRPC one plays its p99: exactly 2 s reads
// at or just below 2 s at every evaluation time, so a strict "> 2 s" never fires.
TEST(SimWithPrometheus, RaftProcessHistogramGivesBackTheConfiguredP999) {
  SimProcess sim(2);
  sim.change_store(1, R"({"raft_process_ready_p999_s": 2})");
  sim.change_store(2, R"({"raft_process_ready_p999_s": 3})");
  PrometheusServer prometheus({sim.address()}, std::chrono::milliseconds(500));
  ASSERT_TRUE(prometheus.wait_ready(seconds(60)));
  const char* query =
      "histogram_quantile(0.999, sum by (le, instance) "
      "(rate(tikv_raftstore_raft_process_duration_secs_bucket{type=\"ready\"}[3s])))";
  std::map<std::string, double> p999;
  ASSERT_TRUE(wait_until(
      [&] {
        p999 = prometheus.query(query);
        return p999.size() == 2 && std::abs(p999["10.0.1.11:20180"] - 2) < 0.002 &&
               std::abs(p999["10.0.1.12:20180"] - 3) < 0.003;
      },
      seconds(30), std::chrono::milliseconds(250)))
      << "store 1: " << p999["10.0.1.11:20180"] << ", store 2: " << p999["10.0.1.12:20180"];
  const double from = unix_now();
  ASSERT_TRUE(wait_until([&] { return unix_now() > from + 1.5; }, seconds(10)));
  for (double at = from; at <= from + 1.0; at += 0.125) {
    const auto values = prometheus.query(query, at);
    ASSERT_EQ(2u, values.size()) << "at " << at;
    EXPECT_LE(values.at("10.0.1.11:20180"), 2.0) << "at " << at;
    EXPECT_GT(values.at("10.0.1.11:20180"), 1.998) << "at " << at;
  }
}

// What the TiKV pack reads for stores whose metrics were made unusable while
// they stay Up: the latency query answers NaN for an idle histogram and
// nothing for a missing one; the disk query carries each disk fault as is.
TEST(SimWithPrometheus, MetricFaultsReachThePacksQueriesAsInjected) {
  SimProcess sim(8);
  inject_every_metric_fault(sim);
  PrometheusServer prometheus({sim.address()}, std::chrono::milliseconds(500));
  ASSERT_TRUE(prometheus.wait_ready(seconds(60)));

  // Once the 3 s window holds two scrapes: every store but the missing one
  // answers, the idle one NaN (no requests in the window).
  std::map<std::string, double> p99;
  ASSERT_TRUE(wait_until(
      [&] {
        p99 = prometheus.query(kP99Query);
        return p99.size() == 7;
      },
      seconds(30), std::chrono::milliseconds(250)))
      << p99.size() << " series";
  EXPECT_EQ(p99.count("10.0.1.12:20180"), 0u);
  EXPECT_TRUE(std::isnan(p99.at("10.0.1.11:20180")));
  EXPECT_NEAR(0.005, p99.at("10.0.1.13:20180"), 0.00005);

  std::map<std::string, std::map<std::string, double>> sizes;
  ASSERT_TRUE(wait_until(
      [&] {
        sizes = disk_sizes(prometheus);
        return sizes.size() == 7;
      },
      seconds(30), std::chrono::milliseconds(250)));
  EXPECT_TRUE(std::isnan(sizes["10.0.1.11:20180"].at("available")));
  EXPECT_EQ(-1, sizes["10.0.1.12:20180"].at("available"));
  EXPECT_EQ(0, sizes["10.0.1.13:20180"].at("capacity"));
  EXPECT_GT(sizes["10.0.1.14:20180"].at("available"), sizes["10.0.1.14:20180"].at("capacity"));
  EXPECT_EQ(sizes["10.0.1.15:20180"].count("available"), 0u);
  EXPECT_EQ(sizes["10.0.1.15:20180"].count("capacity"), 1u);
  EXPECT_EQ(sizes.count("10.0.1.16:20180"), 0u);
  EXPECT_LT(sizes["10.0.1.17:20180"].at("available"), sizes["10.0.1.17:20180"].at("capacity"));
}

TEST(SimWithPrometheus, ADownStoreDisappearsFromPrometheus) {
  SimProcess sim(2);
  PrometheusServer prometheus({sim.address()}, std::chrono::milliseconds(500));
  ASSERT_TRUE(prometheus.wait_ready(seconds(60)));
  const std::string latest = "tikv_store_size_bytes{type=\"capacity\"}";
  ASSERT_TRUE(wait_until([&] { return prometheus.query(latest).size() == 2; }, seconds(30)));
  sim.change_store(2, R"({"state_name": "Down"})");
  // Prometheus marks the series stale at the first scrape without them.
  EXPECT_TRUE(wait_until(
      [&] {
        const auto values = prometheus.query(latest);
        return values.size() == 1 && values.count("10.0.1.11:20180") == 1;
      },
      seconds(30), std::chrono::milliseconds(250)));
}

// PD's own /metrics scraped as Prometheus scrapes each real member's (job
// "pd", honor_labels): the series arrive with the members' instance labels,
// the leader's joins as upstream's rules join it, and the histograms give
// back what was set (a threshold equal to it does not fire; idle ones NaN).
TEST(SimWithPrometheus, PdMetricsArriveWithTheMembersInstanceLabels) {
  SimProcess sim(3);
  ASSERT_EQ(200, sim.post("/sim/pd/regions", R"({"miss-peer-region-count": 150})").status);
  ASSERT_EQ(200, sim.post("/sim/pd/members/pd-10.0.1.1-2379", R"({"wal_fsync_p99_s": 1})").status);
  ASSERT_EQ(200, sim.post("/sim/pd/members/pd-10.0.1.3-2379", R"({"wal_fsync_p99_s": 2})").status);
  PrometheusOptions options;
  options.scrape_interval = std::chrono::milliseconds(500);
  options.scrape_pd = true;
  PrometheusServer prometheus({sim.address()}, options);
  ASSERT_TRUE(prometheus.wait_ready(seconds(60)));

  const std::string regions = R"(pd_regions_status{type="miss-peer-region-count"})";
  std::map<std::string, double> values;
  ASSERT_TRUE(wait_until(
      [&] {
        values = prometheus.query(regions);
        return values.size() == 3;
      },
      seconds(30), std::chrono::milliseconds(250)))
      << values.size() << " series";
  EXPECT_EQ((std::map<std::string, double>{
                {"10.0.1.1:2379", 0}, {"10.0.1.2:2379", 150}, {"10.0.1.3:2379", 0}}),
            values);
  for (const auto& sample : prometheus.query_samples(regions)) {
    EXPECT_EQ("pd", sample.labels.value("job", "")) << sample.labels.dump();
  }
  EXPECT_EQ((std::map<std::string, double>{
                {"10.0.1.1:2379", 0}, {"10.0.1.2:2379", 1}, {"10.0.1.3:2379", 0}}),
            prometheus.query("etcd_server_is_leader"));
  EXPECT_EQ((std::map<std::string, double>{{"10.0.1.2:2379", 150}}),
            prometheus.query(regions + " and on (instance) (etcd_server_is_leader > 0)"));

  // Once the 3 s windows hold two scrapes of each member.
  const auto p99 = [&](const std::string& family) {
    return prometheus.query("histogram_quantile(0.99, sum(rate(" + family +
                            "_bucket[3s])) by (instance, le))");
  };
  std::map<std::string, double> wal;
  ASSERT_TRUE(wait_until(
      [&] {
        wal = p99("etcd_disk_wal_fsync_duration_seconds");
        return wal.size() == 3 && !std::isnan(wal["10.0.1.1:2379"]);
      },
      seconds(30), std::chrono::milliseconds(250)));
  EXPECT_LE(wal["10.0.1.1:2379"], 1.0);
  EXPECT_GT(wal["10.0.1.1:2379"], 0.999);
  EXPECT_NEAR(2.0, wal["10.0.1.3:2379"], 0.002);
  EXPECT_LE(wal["10.0.1.3:2379"], 2.0);
  EXPECT_NEAR(0.002, wal["10.0.1.2:2379"], 0.00001);
  // Only the leader handles TSO requests: the followers' histograms idle.
  const auto tso = p99("pd_server_handle_tso_duration_seconds");
  ASSERT_EQ(3u, tso.size());
  EXPECT_NEAR(0.001, tso.at("10.0.1.2:2379"), 0.00001);
  EXPECT_TRUE(std::isnan(tso.at("10.0.1.1:2379")));
  EXPECT_TRUE(std::isnan(tso.at("10.0.1.3:2379")));
}

}  // namespace
}  // namespace opr::test
