// tikv-sim's GET /pd/metrics (every PD member's own /metrics) against PD's
// real exposition (tests/fixtures/pd/pd_metrics_sample.prom), and what each
// control and PD's leadership do to it.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "sim_process.h"

namespace opr::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kLeader = "10.0.1.2:2379";  // pd-10.0.1.2-2379 leads at start
const std::vector<std::string> kInstances = {"10.0.1.1:2379", "10.0.1.2:2379", "10.0.1.3:2379"};

struct FamilyShape {
  std::string type;
  std::set<std::string> label_names;  // of every series, instance and le left out
};

// Family name -> its TYPE and label names, from an exposition.
std::map<std::string, FamilyShape> shapes_of(const std::string& text) {
  std::map<std::string, FamilyShape> families;
  const std::regex type_line(R"re(^# TYPE ([a-z_]+) ([a-z]+)$)re");
  const std::regex sample(R"re(^([a-zA-Z_]+)(\{(.*)\})? \S+$)re");
  const std::regex label(R"re(([a-zA-Z_]+)="[^"]*")re");
  std::string current;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_match(line, m, type_line)) {
      current = m[1];
      families[current].type = m[2];
    } else if (line.rfind("#", 0) != 0 && std::regex_match(line, m, sample)) {
      EXPECT_EQ(0u, std::string(m[1]).rfind(current, 0)) << line;
      const std::string labels = m[3];
      for (auto it = std::sregex_iterator(labels.begin(), labels.end(), label);
           it != std::sregex_iterator(); ++it) {
        const std::string name = (*it)[1];
        if (name != "instance" && name != "le") families[current].label_names.insert(name);
      }
    }
  }
  return families;
}

void expect_promtool_accepts(const std::string& body) {
  ProcessOptions options;
  options.stdin_text = body;
  const auto check = run_command({"/usr/bin/promtool", "check", "metrics"}, options);
  ASSERT_TRUE(check.exit_code == 0 || check.exit_code == 3) << check.out << check.err;
  // Lint only (exit code 3), and only of PD's own names for these counters.
  std::istringstream lint(check.out + check.err);
  for (std::string line; std::getline(lint, line);) {
    if (line.empty()) continue;
    const bool pd_name = line.rfind("pd_checker_event_count ", 0) == 0 ||
                         line.rfind("pd_tso_events counter", 0) == 0;
    EXPECT_TRUE(pd_name) << line;
  }
}

std::string pd_metrics(const SimProcess& sim) {
  const auto answer = sim.get("/pd/metrics");
  EXPECT_EQ(200, answer.status);
  return answer.body;
}

std::optional<double> value(const std::string& metrics, const std::string& family,
                            const std::string& instance, const std::string& more = "") {
  return sample_value(metrics, family + "{" + (more.empty() ? "" : more + ",") + "instance=\"" +
                                   instance + "\"" + "}");
}

std::optional<double> typed(const std::string& metrics, const std::string& family,
                            const std::string& instance, const std::string& type) {
  return sample_value(metrics, family + "{instance=\"" + instance + "\",type=\"" + type + "\"}");
}

std::optional<double> tso_event(const std::string& metrics, const std::string& instance,
                                const std::string& type) {
  return sample_value(
      metrics, "pd_tso_events{dc=\"global\",instance=\"" + instance + "\",type=\"" + type + "\"}");
}

std::optional<double> histogram_count(const std::string& metrics, const std::string& family,
                                      const std::string& instance) {
  return value(metrics, family + "_count", instance);
}

bool has_instance(const std::string& metrics, const std::string& instance) {
  return metrics.find("instance=\"" + instance + "\"") != std::string::npos;
}

TEST(SimPdMetrics, FamiliesTypesAndLabelNamesAreThoseOfPdsSample) {
  SimProcess sim(3);
  ASSERT_EQ(200, sim.post("/sim/pd/regions", R"({"no_target_store_per_s": 5})").status);
  // Once the leader counted a missing target store, every family has series.
  std::string metrics;
  ASSERT_TRUE(wait_until(
      [&] {
        metrics = pd_metrics(sim);
        return metrics.find("name=\"no_target_store\"") != std::string::npos;
      },
      seconds(10), milliseconds(100)));
  const auto fixture = shapes_of(read_file(fixtures_dir() / "pd/pd_metrics_sample.prom"));
  const auto served = shapes_of(metrics);
  ASSERT_EQ(9u, fixture.size());
  std::vector<std::string> fixture_names, served_names;
  for (const auto& [name, shape] : fixture) fixture_names.push_back(name);
  for (const auto& [name, shape] : served) served_names.push_back(name);
  EXPECT_EQ(fixture_names, served_names);
  for (const auto& [name, shape] : fixture) {
    if (!served.count(name)) continue;
    EXPECT_EQ(shape.type, served.at(name).type) << name;
    EXPECT_EQ(shape.label_names, served.at(name).label_names) << name;
  }
  expect_promtool_accepts(metrics);
  // Small whatever the cluster: it does not grow with the stores.
  EXPECT_LT(metrics.size(), 40'000u);
  EXPECT_EQ("text/plain; version=0.0.4; charset=utf-8", sim.get("/pd/metrics").content_type);
}

TEST(SimPdMetrics, EveryMemberServesItsSeriesAndOnlyTheLeaderHasLiveValues) {
  SimProcess sim(8);
  sim.change_store(1, R"({"state_name": "Disconnected"})");
  sim.change_store(2, R"({"state_name": "Down"})");
  sim.change_store(3, R"({"state_name": "Offline"})");
  sim.change_store(4, R"({"state_name": "Tombstone"})");
  sim.change_store(5, R"({"slow_score": 80})");
  sim.change_store(6, R"({"disk_used_percent": 85})");
  ASSERT_EQ(200, sim.post("/sim/pd/regions",
                          R"({"miss-peer-region-count": 150, "down-peer-region-count": 2})")
                     .status);
  const std::string metrics = pd_metrics(sim);
  for (const auto& instance : kInstances) {
    const bool leads = instance == kLeader;
    EXPECT_EQ(leads ? 1 : 0, value(metrics, "etcd_server_is_leader", instance)) << instance;
    const double up = leads ? 3 : 0;  // stores 6 (low space), 7 and 8
    EXPECT_EQ(up, typed(metrics, "pd_cluster_status", instance, "store_up_count")) << instance;
    EXPECT_EQ(leads ? 1 : 0,
              typed(metrics, "pd_cluster_status", instance, "store_disconnected_count"));
    EXPECT_EQ(leads ? 1 : 0, typed(metrics, "pd_cluster_status", instance, "store_down_count"));
    EXPECT_EQ(leads ? 1 : 0, typed(metrics, "pd_cluster_status", instance, "store_offline_count"));
    EXPECT_EQ(leads ? 1 : 0,
              typed(metrics, "pd_cluster_status", instance, "store_tombstone_count"));
    EXPECT_EQ(leads ? 1 : 0, typed(metrics, "pd_cluster_status", instance, "store_slow_count"));
    EXPECT_EQ(leads ? 1 : 0,
              typed(metrics, "pd_cluster_status", instance, "store_low_space_count"));
    EXPECT_EQ(0, typed(metrics, "pd_cluster_status", instance, "store_unhealth_count"));
    // Seven stores that are not tombstones, 1 TiB each.
    EXPECT_EQ(leads ? 7.0 * (1ULL << 40) : 0,
              typed(metrics, "pd_cluster_status", instance, "storage_capacity"));
    EXPECT_EQ(leads ? 150 : 0,
              typed(metrics, "pd_regions_status", instance, "miss-peer-region-count"));
    EXPECT_EQ(leads ? 2 : 0,
              typed(metrics, "pd_regions_status", instance, "down-peer-region-count"));
    EXPECT_EQ(0, typed(metrics, "pd_regions_status", instance, "pending-peer-region-count"));
    EXPECT_TRUE(value(metrics, "process_start_time_seconds", instance)) << instance;
    EXPECT_TRUE(histogram_count(metrics, "etcd_disk_wal_fsync_duration_seconds", instance));
    EXPECT_EQ(0, tso_event(metrics, instance, "system_time_slow")) << instance;
  }
  // Each member measures its round trip to the two others, by member id in hex.
  const auto state = parse_json(sim.get("/sim/state").body);
  std::ostringstream to;
  to << std::hex << state["pd_members"][0]["member_id"].get<std::uint64_t>();
  EXPECT_NE(metrics.find("etcd_network_peer_round_trip_time_seconds_count{To=\"" + to.str() +
                         "\",instance=\"10.0.1.2:2379\"}"),
            std::string::npos);
  EXPECT_EQ(metrics.find("etcd_network_peer_round_trip_time_seconds_count{To=\"" + to.str() +
                         "\",instance=\"10.0.1.1:2379\"}"),
            std::string::npos);
}

TEST(SimPdMetrics, LeaderChangesMoveWhatGrowsAndNoLeaderLeavesZeros) {
  SimProcess sim(3);
  const auto grown = [&](const std::string& instance) {
    const std::string m = pd_metrics(sim);
    return tso_event(m, instance, "save").value_or(0) > 0 &&
           histogram_count(m, "pd_server_handle_tso_duration_seconds", instance).value_or(0) > 0;
  };
  ASSERT_TRUE(wait_until([&] { return grown(kLeader); }, seconds(10), milliseconds(100)));
  std::string metrics = pd_metrics(sim);
  EXPECT_EQ(0, tso_event(metrics, "10.0.1.3:2379", "save"));
  EXPECT_EQ(0, histogram_count(metrics, "pd_server_handle_tso_duration_seconds", "10.0.1.3:2379"));

  sim.set_pd_leader("pd-10.0.1.3-2379");
  metrics = pd_metrics(sim);
  const double old_saves = tso_event(metrics, kLeader, "save").value();
  const double old_tso =
      histogram_count(metrics, "pd_server_handle_tso_duration_seconds", kLeader).value();
  EXPECT_EQ(0, value(metrics, "etcd_server_is_leader", kLeader));
  EXPECT_EQ(1, value(metrics, "etcd_server_is_leader", "10.0.1.3:2379"));
  EXPECT_EQ(0, typed(metrics, "pd_cluster_status", kLeader, "store_up_count"));
  EXPECT_EQ(3, typed(metrics, "pd_cluster_status", "10.0.1.3:2379", "store_up_count"));
  ASSERT_TRUE(wait_until([&] { return grown("10.0.1.3:2379"); }, seconds(10), milliseconds(100)));
  // The former leader keeps what it counted, and counts no more.
  metrics = pd_metrics(sim);
  EXPECT_EQ(old_saves, tso_event(metrics, kLeader, "save"));
  EXPECT_EQ(old_tso, histogram_count(metrics, "pd_server_handle_tso_duration_seconds", kLeader));

  sim.set_pd_leader(std::nullopt);
  metrics = pd_metrics(sim);
  for (const auto& instance : kInstances) {
    EXPECT_EQ(0, value(metrics, "etcd_server_is_leader", instance)) << instance;
    EXPECT_EQ(0, typed(metrics, "pd_cluster_status", instance, "store_up_count")) << instance;
    EXPECT_EQ(0, typed(metrics, "pd_cluster_status", instance, "storage_size")) << instance;
  }
  EXPECT_GT(tso_event(metrics, "10.0.1.3:2379", "save").value_or(0), 0);
}

TEST(SimPdMetrics, MemberControlsSetHistogramsJumpsRestartsAndScrapability) {
  SimProcess sim(3);
  const std::string name = "pd-10.0.1.1-2379";
  const std::string instance = "10.0.1.1:2379";
  const double started = value(pd_metrics(sim), "process_start_time_seconds", instance).value();
  const auto answer =
      sim.post("/sim/pd/members/" + name,
               R"({"wal_fsync_p99_s": 2, "peer_rtt_p99_s": 1.5, "tso_handle_p99_s": 0.2,
                   "time_jump_back": true, "restart": true})");
  ASSERT_EQ(200, answer.status) << answer.body;
  const auto metrics_json = parse_json(answer.body)["metrics"];
  EXPECT_EQ(2.0, metrics_json["wal_fsync_p99_s"]);
  EXPECT_EQ(1.5, metrics_json["peer_rtt_p99_s"]);
  EXPECT_EQ(0.2, metrics_json["tso_handle_p99_s"]);
  EXPECT_EQ(1, metrics_json["time_jump_backs"]);
  EXPECT_EQ(true, metrics_json["serves_metrics"]);
  ASSERT_EQ(200, sim.post("/sim/pd/members/" + name, R"({"time_jump_back": true})").status);

  std::string metrics = pd_metrics(sim);
  EXPECT_EQ(2, tso_event(metrics, instance, "system_time_slow"));
  EXPECT_EQ(0, tso_event(metrics, kLeader, "system_time_slow"));
  const double restarted = value(metrics, "process_start_time_seconds", instance).value();
  EXPECT_GT(restarted, started + 86400);  // days ago before, now after
  const auto state = parse_json(sim.get("/sim/state").body)["pd_metrics"]["members"][0];
  EXPECT_EQ(name, state["name"]);
  EXPECT_EQ(2.0, state["wal_fsync_p99_s"]);
  EXPECT_EQ(2, state["time_jump_backs"]);

  // A member whose /metrics cannot be scraped: none of its series arrive.
  ASSERT_EQ(200, sim.post("/sim/pd/members/" + name, R"({"serves_metrics": false})").status);
  metrics = pd_metrics(sim);
  EXPECT_FALSE(has_instance(metrics, instance));
  EXPECT_TRUE(has_instance(metrics, kLeader));
  ASSERT_EQ(200, sim.post("/sim/pd/members/" + name, R"({"serves_metrics": true})").status);
  EXPECT_TRUE(has_instance(pd_metrics(sim), instance));

  for (const std::string body :
       {R"({"wal_fsync_p99_s": 0})", R"({"wal_fsync_p99_s": -1})", R"({"wal_fsync_p99_s": 9})",
        R"({"peer_rtt_p99_s": "slow"})", R"({"tso_handle_p99_s": 3})",
        R"({"time_jump_back": "yes"})", R"({"restart": 1})", R"({"serves_metrics": null})",
        R"({"colour": "red"})"}) {
    const auto refused = sim.post("/sim/pd/members/" + name, body);
    EXPECT_EQ(400, refused.status) << body;
    EXPECT_TRUE(parse_json(refused.body).contains("error")) << refused.body;
  }
  EXPECT_EQ(404, sim.post("/sim/pd/members/pd-9", R"({"wal_fsync_p99_s": 2})").status);
  // Nothing of a refused change was applied.
  EXPECT_EQ(2,
            parse_json(sim.get("/sim/state").body)["pd_metrics"]["members"][0]["time_jump_backs"]);
}

TEST(SimPdMetrics, RegionControlsSetCountsNoTargetStoreAndMissingFamilies) {
  SimProcess sim(3);
  EXPECT_EQ(pd_metrics(sim).find("no_target_store"), std::string::npos);
  const auto answer = sim.post(
      "/sim/pd/regions",
      R"({"pending-peer-region-count": 120, "offline-peer-region-count": 4, "no_target_store_per_s": 2})");
  ASSERT_EQ(200, answer.status) << answer.body;
  const auto regions = parse_json(answer.body);
  EXPECT_EQ(120, regions["regions"]["pending-peer-region-count"]);
  EXPECT_EQ(4, regions["regions"]["offline-peer-region-count"]);
  EXPECT_EQ(0, regions["regions"]["miss-peer-region-count"]);
  EXPECT_EQ(2.0, regions["no_target_store_per_s"]);
  EXPECT_EQ(
      120,
      parse_json(sim.get("/sim/state").body)["pd_metrics"]["regions"]["pending-peer-region-count"]);

  // The leader's counter appears once it counted, and grows; followers have none.
  const std::string series = "pd_checker_event_count{instance=\"" + std::string(kLeader) +
                             "\",name=\"no_target_store\",type=\"replica_checker\"}";
  std::optional<double> first;
  ASSERT_TRUE(
      wait_until([&] { return (first = sample_value(pd_metrics(sim), series)).has_value(); },
                 seconds(10), milliseconds(100)));
  EXPECT_TRUE(wait_until([&] { return sample_value(pd_metrics(sim), series) > first; }, seconds(10),
                         milliseconds(100)));
  std::string metrics = pd_metrics(sim);
  EXPECT_EQ(metrics.find("10.0.1.1:2379\",name=\"no_target_store\""), std::string::npos);
  EXPECT_EQ(120, typed(metrics, "pd_regions_status", kLeader, "pending-peer-region-count"));
  EXPECT_EQ(0, typed(metrics, "pd_regions_status", "10.0.1.1:2379", "pending-peer-region-count"));

  ASSERT_EQ(200, sim.post("/sim/pd/regions",
                          R"({"missing_metrics": ["pd_regions_status", "etcd_server_is_leader"]})")
                     .status);
  metrics = pd_metrics(sim);
  EXPECT_EQ(metrics.find("pd_regions_status"), std::string::npos);
  EXPECT_EQ(metrics.find("etcd_server_is_leader"), std::string::npos);
  EXPECT_NE(metrics.find("# TYPE pd_cluster_status gauge"), std::string::npos);
  expect_promtool_accepts(metrics);
  ASSERT_EQ(200, sim.post("/sim/pd/regions", R"({"missing_metrics": []})").status);
  EXPECT_NE(pd_metrics(sim).find("pd_regions_status{"), std::string::npos);

  for (const std::string body :
       {"not json", "[1]", R"({"miss-peer-region-count": -1})",
        R"({"miss-peer-region-count": 1.5})", R"({"miss-peer-region-count": "many"})",
        R"({"no_target_store_per_s": -1})", R"({"missing_metrics": ["tikv_store_size_bytes"]})",
        R"({"missing_metrics": "pd_regions_status"})", R"({"miss_peer_region_count": 1})"}) {
    const auto refused = sim.post("/sim/pd/regions", body);
    EXPECT_EQ(400, refused.status) << body;
    EXPECT_TRUE(parse_json(refused.body).contains("error")) << refused.body;
  }
  EXPECT_EQ(
      120,
      parse_json(sim.get("/sim/state").body)["pd_metrics"]["regions"]["pending-peer-region-count"]);
}

}  // namespace
}  // namespace opr::test
