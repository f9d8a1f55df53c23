// The PD metric checks end to end (region_health, cluster_space, pd_etcd,
// tso_latency, pd_node_restart): tikv-sim's PD /metrics scraped by a real
// Prometheus (job "pd"), the host in --once runs for tickets, and the pack
// in this process for what a run says (unknown subjects, failures). One
// tikv-sim and one Prometheus serve the whole binary (one ctest test,
// TikvPdMetricChecks); each test puts the simulator back as it found it.
// Every test goes through: the fault -> a ticket after the grace with its
// severity, subject and message; healed -> resolved; the metric missing ->
// unknown or a failed run, never ok-and-silent; exactly on the threshold ->
// no violation. Graces are 1 s and windows a few seconds.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pd_metric_rows.h"
#include "tikv_cluster.h"
#include "tikv_instance.h"

namespace opr::test {
namespace {

const std::string kPd1 = "pd-10.0.1.1-2379";
const std::string kPd2 = "pd-10.0.1.2-2379";  // tikv-sim's leader
const std::string kPd3 = "pd-10.0.1.3-2379";

bool unknown_is(const plugins::RunResult& result, std::vector<std::string> expected) {
  return result.ok && unknown_subjects(result) == expected;
}

class TikvPdMetricChecks : public testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = std::make_unique<TikvCluster>(3); }
  static void TearDownTestSuite() { cluster_.reset(); }

  void TearDown() override {
    post("/sim/pd/regions",
         R"({"miss-peer-region-count": 0, "down-peer-region-count": 0,
             "pending-peer-region-count": 0, "offline-peer-region-count": 0,
             "no_target_store_per_s": 0, "missing_metrics": []})");
    for (const std::string& member : {kPd1, kPd2, kPd3}) {
      post("/sim/pd/members/" + member,
           R"({"wal_fsync_p99_s": 0.002, "peer_rtt_p99_s": 0.001, "tso_handle_p99_s": 0.001,
               "serves_metrics": true})");
    }
    for (int id = 1; id <= 3; ++id) sim().change_store(id, R"({"disk_used_percent": 30})");
    sim().set_pd_leader(kPd2);
  }

  static SimProcess& sim() { return cluster_->sim(); }
  static TikvCluster& cluster() { return *cluster_; }

  static void post(const std::string& path, const std::string& body) {
    const HttpResult result = sim().post(path, body);
    ASSERT_EQ(result.status, 200) << path << " " << body << ": " << result.body;
  }

  // The target with `check` alone (every other check off), set by `settings`.
  static std::string only(const std::string& check, const std::string& settings) {
    std::string checks = check + ": {" + settings + "}";
    for (const char* other : {"store_up", "latency", "disk_space", "pd_health", "store_slow"})
      checks += "\n      " + std::string(other) + ": {enabled: false}";
    for (const tikv::PdMetricRow& row : tikv::pd_metric_rows()) {
      if (row.name != check) checks += "\n      " + std::string(row.name) + ": {enabled: false}";
    }
    return target_yaml(cluster(), checks);
  }

  // Runs until a run is clean (exit 0): Prometheus has the windows' samples.
  static void wait_clean(TikvHost& host) {
    CommandResult last;
    ASSERT_TRUE(wait_until([&] { return (last = host.run_once()).exit_code == 0; }, kPatience,
                           std::chrono::milliseconds(250)))
        << last.out << last.err;
  }

  // Runs until each of `subjects` of `check` has a ticket with `status`;
  // the tickets, in the order of `subjects`.
  static std::vector<Json> wait_tickets(TikvHost& host, const std::string& check,
                                        const std::vector<std::string>& subjects,
                                        const std::string& status) {
    std::vector<Json> tickets;
    CommandResult last;
    const bool found = wait_until(
        [&] {
          last = host.run_once();
          tickets.clear();
          for (const std::string& subject : subjects) {
            auto ticket = host.cli_ticket(check, subject);
            if (!ticket || (*ticket)["status"] != status) return false;
            tickets.push_back(*ticket);
          }
          return true;
        },
        kPatience, std::chrono::milliseconds(250));
    EXPECT_TRUE(found) << check << ": no " << status << " tickets for every subject\n"
                       << last.out << last.err;
    if (!found) tickets.assign(subjects.size(), Json::object());
    return tickets;
  }

  // Runs `check` in this process until `done(result)`; the last result.
  template <typename Done>
  static plugins::RunResult run_until(TikvInstance& instance, const std::string& check,
                                      Done&& done) {
    plugins::RunResult result;
    wait_until(
        [&] {
          result = instance.run(check);
          return done(result);
        },
        kPatience, std::chrono::milliseconds(250));
    return result;
  }

  // Runs `check` until a run fails; its error.
  static std::string failed_run(TikvInstance& instance, const std::string& check) {
    const auto failed =
        run_until(instance, check, [](const plugins::RunResult& r) { return !r.ok; });
    EXPECT_FALSE(failed.ok) << check << " never failed";
    return failed.error;
  }

  // `member` not scraped: `subjects` unknown, nothing violated; then
  // `families` (JSON strings) gone from every member: a failed run, whose
  // error this returns.
  static std::string unscraped_then_missing(TikvInstance& instance, const std::string& check,
                                            const std::string& member,
                                            const std::vector<std::string>& subjects,
                                            const std::string& families) {
    post("/sim/pd/members/" + member, R"({"serves_metrics": false})");
    const auto unscraped = run_until(
        instance, check, [&](const plugins::RunResult& r) { return unknown_is(r, subjects); });
    EXPECT_TRUE(unknown_is(unscraped, subjects)) << check << ": " << unscraped.error;
    EXPECT_TRUE(violation_subjects(unscraped).empty());
    post("/sim/pd/regions", R"({"missing_metrics": [)" + families + "]}");
    return failed_run(instance, check);
  }

 private:
  static inline std::unique_ptr<TikvCluster> cluster_;
};

std::string text(const Json& value) { return value.is_string() ? value.get<std::string>() : ""; }

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST_F(TikvPdMetricChecks, RegionHealth) {
  const std::string settings = "grace: 1s, rate_window: 3s";
  TikvHost host(only("region_health", settings));
  wait_clean(host);

  post("/sim/pd/regions",
       R"({"miss-peer-region-count": 150, "down-peer-region-count": 2,
           "pending-peer-region-count": 101, "offline-peer-region-count": 3,
           "no_target_store_per_s": 5})");
  const auto open = wait_tickets(
      host, "region_health",
      {"miss-peer", "down-peer", "pending-peer", "offline-peer", "no-target-store"}, "open");
  EXPECT_EQ(open[0]["severity"], "critical");
  EXPECT_EQ(open[0]["message"], "150 regions miss a replica (miss-peer), more than 100");
  EXPECT_EQ(open[0]["metric_snapshot"]["value"], 150);
  EXPECT_EQ(open[0]["metric_snapshot"]["threshold"], 100);
  EXPECT_EQ(open[0]["metric_snapshot"]["instance"], "10.0.1.2:2379");  // the leader's series
  EXPECT_EQ(open[1]["severity"], "warning");
  EXPECT_EQ(open[1]["message"], "2 regions have a down replica (down-peer), more than 0");
  EXPECT_EQ(open[2]["message"], "101 regions have a pending replica (pending-peer), more than 100");
  EXPECT_EQ(open[3]["severity"], "warning");
  EXPECT_EQ(open[4]["severity"], "warning");
  EXPECT_TRUE(starts_with(text(open[4]["message"]), "PD found no store for a new replica "))
      << open[4]["message"];

  post("/sim/pd/regions",
       R"({"miss-peer-region-count": 0, "down-peer-region-count": 0,
           "pending-peer-region-count": 0, "offline-peer-region-count": 0,
           "no_target_store_per_s": 0})");
  wait_tickets(host, "region_health",
               {"miss-peer", "down-peer", "pending-peer", "offline-peer", "no-target-store"},
               "resolved");

  // Exactly on upstream's thresholds: no violation.
  post("/sim/pd/regions", R"({"miss-peer-region-count": 100, "pending-peer-region-count": 100})");
  TikvInstance instance(only("region_health", settings));
  const auto on = run_until(instance, "region_health", [](const plugins::RunResult& r) {
    return r.ok && fact(r, "subjects_unknown") == "0";
  });
  EXPECT_TRUE(on.ok) << on.error;
  EXPECT_TRUE(violation_subjects(on).empty());

  // pd_regions_status missing: its four states unknown, no-target-store read.
  post("/sim/pd/regions", R"({"missing_metrics": ["pd_regions_status"]})");
  const auto missing = run_until(instance, "region_health", [](const plugins::RunResult& r) {
    return unknown_is(r, {"miss-peer", "down-peer", "pending-peer", "offline-peer"});
  });
  EXPECT_TRUE(unknown_is(missing, {"miss-peer", "down-peer", "pending-peer", "offline-peer"}))
      << missing.error;
  // And no leader's series at all: nothing to evaluate, a failed run.
  post("/sim/pd/regions", R"({"missing_metrics": ["pd_regions_status", "etcd_server_is_leader"]})");
  const std::string error = failed_run(instance, "region_health");
  EXPECT_TRUE(starts_with(error,
                          "nothing could be evaluated: no pd_regions_status series from "
                          "PD's leader for miss-peer"))
      << error;
}

TEST_F(TikvPdMetricChecks, ClusterSpace) {
  TikvHost host(only("cluster_space", "grace: 1s"));
  wait_clean(host);

  // 90 % used on every store: the cluster is 90 % full and each store is
  // below 20 % available (PD's low space).
  for (int id = 1; id <= 3; ++id) sim().change_store(id, R"({"disk_used_percent": 90})");
  const auto open = wait_tickets(host, "cluster_space", {"space-used", "low-space"}, "open");
  EXPECT_EQ(open[0]["severity"], "warning");
  EXPECT_TRUE(starts_with(text(open[0]["message"]), "The cluster's stores use 90"))
      << open[0]["message"];
  EXPECT_EQ(open[1]["message"], "3 stores are low on space by PD's count, more than 0");

  // Exactly on the thresholds: the used share Prometheus computes, and 3.
  double used = 0;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto values = cluster().prometheus().query(
            "sum by (instance) (pd_cluster_status{type=\"storage_size\"}) / sum by (instance) "
            "(pd_cluster_status{type=\"storage_capacity\"}) * 100 and on (instance) "
            "(etcd_server_is_leader > 0)");
        if (values.size() != 1) return false;
        used = values.begin()->second;
        return used > 89;
      },
      kPatience, std::chrono::milliseconds(200)));
  char threshold[64];
  std::snprintf(threshold, sizeof threshold, "%.17g", used);
  TikvInstance on(only("cluster_space", std::string("used_percent_threshold: ") + threshold +
                                            ", low_space_threshold: 3"));
  const auto at = on.run("cluster_space");
  EXPECT_TRUE(at.ok) << at.error;
  EXPECT_TRUE(violation_subjects(at).empty());

  for (int id = 1; id <= 3; ++id) sim().change_store(id, R"({"disk_used_percent": 30})");
  wait_tickets(host, "cluster_space", {"space-used", "low-space"}, "resolved");

  post("/sim/pd/regions", R"({"missing_metrics": ["pd_cluster_status"]})");
  TikvInstance instance(only("cluster_space", ""));
  const std::string error = failed_run(instance, "cluster_space");
  EXPECT_TRUE(starts_with(error,
                          "nothing could be evaluated: no pd_cluster_status series from "
                          "PD's leader for space-used"))
      << error;
}

// PD without a leader: every leader-only condition is unknown, so a check
// of only those fails (pd_health reports the missing leader).
TEST_F(TikvPdMetricChecks, NoLeaderFailsTheLeaderOnlyChecks) {
  sim().set_pd_leader(std::nullopt);
  TikvInstance instance(only("cluster_space", ""));
  const std::string error = failed_run(instance, "cluster_space");
  EXPECT_TRUE(starts_with(error,
                          "nothing could be evaluated: no pd_cluster_status series from "
                          "PD's leader for space-used"))
      << error;
}

// PD's member list is fetched once and shared: pd_health asks for it at
// every run, and a PD metric check run after it asks PD nothing.
TEST_F(TikvPdMetricChecks, TheMemberListIsSharedWithPdHealth) {
  TikvInstance both(target_yaml(cluster(),
                                "tso_latency: {}\n      store_up: {enabled: false}\n      latency: "
                                "{enabled: false}\n      disk_space: {enabled: false}\n      "
                                "store_slow: {enabled: false}"));
  const auto before = sim().pd_requests();
  EXPECT_TRUE(both.run("pd_health").ok);
  const auto after_health = sim().pd_requests();
  EXPECT_EQ(after_health - before, 2u);  // /members and /health
  both.run("tso_latency");
  EXPECT_EQ(sim().pd_requests(), after_health);

  TikvInstance alone(only("tso_latency", ""));
  alone.run("tso_latency");
  EXPECT_EQ(sim().pd_requests(), after_health + 1);  // its own /members
  alone.run("tso_latency");
  EXPECT_EQ(sim().pd_requests(), after_health + 1);  // reused within store_list_max_age
}

TEST_F(TikvPdMetricChecks, PdEtcd) {
  const std::string settings = "grace: 1s, rate_window: 3s, change_window: 6s";
  TikvHost host(only("pd_etcd", settings));
  wait_clean(host);

  // On the thresholds, before any fault is in the windows: the histograms read just below what was
  // set, one leader, no time jump.
  TikvInstance on(
      only("pd_etcd", settings + ", wal_fsync_threshold: 0.002, peer_rtt_threshold: 0.001"));
  const auto at = run_until(on, "pd_etcd", [](const plugins::RunResult& r) {
    return r.ok && fact(r, "subjects_unknown") == "0";
  });
  EXPECT_TRUE(at.ok) << at.error;
  EXPECT_TRUE(violation_subjects(at).empty());

  post("/sim/pd/members/" + kPd1, R"({"wal_fsync_p99_s": 2, "time_jump_back": true})");
  post("/sim/pd/members/" + kPd3, R"({"peer_rtt_p99_s": 2})");
  sim().set_pd_leader(kPd3);
  const auto open = wait_tickets(
      host, "pd_etcd",
      {kPd1 + ":wal-fsync", kPd3 + ":peer-rtt", kPd1 + ":time-slow", "leader-change"}, "open");
  EXPECT_EQ(open[0]["severity"], "critical");
  EXPECT_TRUE(starts_with(text(open[0]["message"]),
                          "PD member " + kPd1 + " at http://10.0.1.1:2379 WAL fsync P99 "))
      << open[0]["message"];
  EXPECT_EQ(open[0]["metric_snapshot"]["name"], kPd1);
  EXPECT_EQ(open[0]["metric_snapshot"]["client_urls"], "http://10.0.1.1:2379");
  EXPECT_EQ(open[1]["severity"], "warning");
  EXPECT_TRUE(starts_with(text(open[1]["message"]), "PD member " + kPd3 +
                                                        " at http://10.0.1.3:2379 peer round-trip "
                                                        "P99 (slowest peer) "))
      << open[1]["message"];
  EXPECT_EQ(open[2]["severity"], "warning");
  EXPECT_EQ(open[2]["message"], "PD member " + kPd1 +
                                    " at http://10.0.1.1:2379 saw its system time go back 1 "
                                    "times in 6s, more than 0");
  EXPECT_EQ(open[3]["severity"], "warning");
  EXPECT_EQ(open[3]["message"],
            "2 PD members served as leader within 6s, more than 1: PD's leader changed");

  // Healed; the changes leave the window by themselves.
  post("/sim/pd/members/" + kPd1, R"({"wal_fsync_p99_s": 0.002})");
  post("/sim/pd/members/" + kPd3, R"({"peer_rtt_p99_s": 0.001})");
  wait_tickets(host, "pd_etcd",
               {kPd1 + ":wal-fsync", kPd3 + ":peer-rtt", kPd1 + ":time-slow", "leader-change"},
               "resolved");

  // A member Prometheus cannot scrape: its three subjects unknown.
  const std::string error = unscraped_then_missing(
      on, "pd_etcd", kPd2, {kPd2 + ":wal-fsync", kPd2 + ":peer-rtt", kPd2 + ":time-slow"},
      R"("etcd_disk_wal_fsync_duration_seconds", "etcd_network_peer_round_trip_time_seconds",
         "pd_tso_events")");
  EXPECT_TRUE(starts_with(error,
                          "nothing could be evaluated: Prometheus has no "
                          "etcd_disk_wal_fsync_duration_seconds series for any of "
                          "the 3 PD members"))
      << error;
}

TEST_F(TikvPdMetricChecks, TsoLatency) {
  const std::string settings = "grace: 1s, rate_window: 3s";
  TikvHost host(only("tso_latency", settings));
  wait_clean(host);

  // On the threshold first, before any fault is in the window: the leader's
  // P99 reads just below the 1 ms it is set to.
  TikvInstance on(only("tso_latency", settings + ", threshold: 0.001"));
  const auto at = run_until(on, "tso_latency", [](const plugins::RunResult& r) {
    return r.ok && fact(r, "subjects_unknown") == "0";
  });
  EXPECT_TRUE(at.ok) << at.error;
  EXPECT_TRUE(violation_subjects(at).empty());

  // Only the leader handles TSO requests; the followers' idle histograms
  // (NaN) are healthy.
  post("/sim/pd/members/" + kPd2, R"({"tso_handle_p99_s": 0.2})");
  const auto open = wait_tickets(host, "tso_latency", {kPd2}, "open");
  EXPECT_EQ(open[0]["severity"], "warning");
  // The value as the ticket first saw it: the window may still be filling.
  const std::string message = text(open[0]["message"]);
  EXPECT_TRUE(
      starts_with(message, "PD member " + kPd2 + " at http://10.0.1.2:2379 TSO handle P99 "))
      << message;
  EXPECT_TRUE(message.ends_with("s exceeds threshold 0.1s")) << message;
  EXPECT_EQ(open[0]["metric_snapshot"]["threshold"], 0.1);

  post("/sim/pd/members/" + kPd2, R"({"tso_handle_p99_s": 0.001})");
  wait_tickets(host, "tso_latency", {kPd2}, "resolved");

  EXPECT_EQ(unscraped_then_missing(on, "tso_latency", kPd2, {kPd2},
                                   R"("pd_server_handle_tso_duration_seconds")"),
            "Prometheus has no pd_server_handle_tso_duration_seconds series for any of the 3 PD "
            "members; is it scraping PD?");
}

TEST_F(TikvPdMetricChecks, PdNodeRestart) {
  const std::string settings = "grace: 1s, rate_window: 6s";
  TikvHost host(only("pd_node_restart", settings));
  wait_clean(host);

  post("/sim/pd/members/" + kPd3, R"({"restart": true})");
  const auto open = wait_tickets(host, "pd_node_restart", {kPd3}, "open");
  EXPECT_EQ(open[0]["severity"], "warning");
  EXPECT_EQ(open[0]["message"], "PD member " + kPd3 +
                                    " at http://10.0.1.3:2379 restarted within 6s (its start "
                                    "time changed 1 times, more than 0)");

  // Exactly one change with threshold 1: no violation.
  TikvInstance on(only("pd_node_restart", settings + ", threshold: 1"));
  const auto at = on.run("pd_node_restart");
  EXPECT_TRUE(at.ok) << at.error;
  EXPECT_TRUE(violation_subjects(at).empty());

  wait_tickets(host, "pd_node_restart", {kPd3}, "resolved");

  // TiKV's own process_start_time_seconds stays: only PD's instances count.
  EXPECT_EQ(unscraped_then_missing(on, "pd_node_restart", kPd1, {kPd1},
                                   R"("process_start_time_seconds")"),
            "Prometheus has no process_start_time_seconds series for any of the 3 PD members; is "
            "it scraping PD?");
}

}  // namespace
}  // namespace opr::test
