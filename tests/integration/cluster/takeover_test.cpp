// Three operator-host processes share thirty targets of the example pack
// and one TiKV target (tikv-sim behind a real Prometheus) on one real
// PostgreSQL database. One is killed with -9: the others take its
// targets over within two check intervals, pick up the transitions that
// happened meanwhile, and keep a person's acknowledgement; it comes back
// and the targets spread over three hosts again. Through it all, no target
// runs on two hosts at once (each run is logged with its host and its
// time span) and no violation has two open tickets.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cluster_hosts.h"
#include "postgres_server.h"
#include "prometheus_server.h"
#include "sim_process.h"
#include "test_support.h"
#include "tikv_family.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr int kTargets = 30;  // of the example pack; one TiKV target besides
constexpr int kAllTargets = kTargets + 1;
constexpr const char* kDownStore = "tikv/store_up/2";
constexpr auto kInterval = 4s;  // every check's; the lease is 3s

class Takeover : public ::testing::Test {
 protected:
  void SetUp() override {
    if (db_.server == nullptr) GTEST_SKIP() << db_.skip_reason;
    uri_ = db_.uri;
    std::filesystem::create_directories(dir_.path() / "packs");
    const auto pack = copy_pack(example_pack(), dir_.path() / "packs");
    copy_pack(packs_dir() / "tikv.so", dir_.path() / "packs");
    // Store 2 is Down from the start: one TiKV ticket, resolved once it is
    // Up again, on whichever host runs the target then.
    sim_ = std::make_unique<SimProcess>(3);
    sim_->change_store(2, R"({"state_name": "Down"})");
    prometheus_ = std::make_unique<PrometheusServer>(std::vector<std::string>{sim_->address()},
                                                     std::chrono::milliseconds(500));
    ASSERT_TRUE(prometheus_->wait_ready(30s));
    std::ostringstream config;
    config << cluster_config_head(uri_, pack.parent_path());
    for (int i = 0; i < kTargets; ++i) {
      config << file_fresh_target(target_name(i), stamp(i));
      if (i % 2 == 0) write_file(stamp(i), "fresh\n");  // odd ones are missing: a ticket each
    }
    config << "  - name: tikv\n"
           << with_metric_family_off("    pack: tikv\n    pd_endpoint: http://" + sim_->address() +
                                     "\n    prometheus_url: " + prometheus_->url() +
                                     "\n    checks:\n      store_up: {interval: 4s}\n"
                                     "      latency: {enabled: false}\n"
                                     "      disk_space: {interval: 4s}\n");
    write_file(config_path(), config.str());
  }

  std::filesystem::path stamp(int i) const { return dir_.path() / ("stamp-" + target_name(i)); }
  std::filesystem::path config_path() const { return dir_.path() / "operator.yaml"; }

  // A host of the shared config; with `listen_port`, a copy of it that
  // also serves /metrics there (hosts on one machine cannot share a port).
  std::unique_ptr<Process> start_host(int listen_port = 0) {
    std::filesystem::path config = config_path();
    if (listen_port != 0) {
      config = dir_.path() / "listening.yaml";
      write_file(config, "http: {listen: '127.0.0.1:" + std::to_string(listen_port) + "'}\n" +
                             read_file(config_path()));
    }
    return std::make_unique<Process>(
        std::vector<std::string>{operator_host().string(), "--config", config.string()});
  }

  std::map<std::string, std::string> owners() const { return opr::test::owners(uri_); }
  bool spread_over(const std::vector<std::string>& hosts) const {
    return opr::test::spread_over(owners(), kAllTargets, hosts);
  }

  std::string sql(const std::string& query) const { return db_.sql(query); }
  // The status of the open ticket of target `i`, or "" when none.
  std::string open_status(int i) const {
    return sql("SELECT status FROM tickets WHERE target = '" + target_name(i) +
               "' AND status <> 'resolved'");
  }
  bool states_match_stamps() const {
    for (int i = 0; i < kTargets; ++i) {
      const bool missing = !std::filesystem::exists(stamp(i));
      if (open_status(i).empty() == missing) return false;
    }
    return true;
  }
  bool store_2_ticket_open() const {
    return !sql(std::string("SELECT id FROM tickets WHERE violation_key = '") + kDownStore +
                "' AND status <> 'resolved'")
                .empty();
  }

  ClusterDatabase db_;
  std::string uri_;
  TempDir dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<PrometheusServer> prometheus_;
};

TEST_F(Takeover, AKilledHostsTargetsMoveWithinTwoIntervalsAndSpreadBackOnRestart) {
  std::vector<std::unique_ptr<Process>> hosts;
  for (int i = 0; i < 3; ++i) hosts.push_back(start_host());
  std::vector<std::string> names;
  for (const auto& host : hosts) names.push_back(host_of(*host));
  ASSERT_TRUE(wait_until([&] { return spread_over(names); }, 60s, 200ms))
      << hosts[0]->err().substr(0, 4000);
  ASSERT_TRUE(wait_until([&] { return states_match_stamps(); }, 30s, 200ms));
  ASSERT_TRUE(wait_until([&] { return store_2_ticket_open(); }, 30s, 200ms));

  // A person acknowledges a ticket of a target that the second host runs.
  auto owned = owners();
  int acked = -1;
  for (int i = 1; i < kTargets && acked < 0; i += 2) {
    if (owned[target_name(i)] == names[1]) acked = i;
  }
  ASSERT_GE(acked, 0);
  const std::string acked_id = sql("SELECT id FROM tickets WHERE target = '" + target_name(acked) +
                                   "' AND status <> 'resolved'");
  const CommandResult ack =
      run_operator_host({"--db", uri_, "tickets", "ack", acked_id, "--note", "on it"});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  const int seen_at_ack =
      std::stoi(sql("SELECT occurrence_count FROM tickets WHERE id = " + acked_id));

  // kill -9 the first host; what its targets do meanwhile must not be lost.
  std::vector<std::string> moved;
  for (const auto& [target, host] : owned) {
    if (host == names[0]) moved.push_back(target);
  }
  ASSERT_GE(moved.size(), 9u);
  hosts[0]->signal(SIGKILL);
  ASSERT_TRUE(hosts[0]->wait(10s).has_value());
  const long long killed_at = wall_ms();
  sim_->change_store(2, R"({"state_name": "Up"})");
  for (int i = 0; i < kTargets; ++i) {
    if (std::find(moved.begin(), moved.end(), target_name(i)) == moved.end()) continue;
    if (std::filesystem::exists(stamp(i))) {
      std::filesystem::remove(stamp(i));  // a violation to open
    } else {
      write_file(stamp(i), "fresh\n");  // a ticket to resolve
    }
  }

  // Each of its targets runs on another host within two intervals.
  const auto first_run_after_kill = [&](const std::string& target) -> long long {
    long long first = 0;
    for (size_t h = 1; h < hosts.size(); ++h) {
      for (const LoggedRun& run : runs_in(hosts[h]->err())) {
        if (run.target == target && run.from >= killed_at && (first == 0 || run.from < first)) {
          first = run.from;
        }
      }
    }
    return first;
  };
  ASSERT_TRUE(wait_until(
      [&] {
        return std::all_of(moved.begin(), moved.end(),
                           [&](const std::string& t) { return first_run_after_kill(t) > 0; });
      },
      30s, 200ms));
  const long long two_intervals =
      std::chrono::duration_cast<std::chrono::milliseconds>(2 * kInterval).count();
  for (const auto& target : moved) {
    EXPECT_LE(first_run_after_kill(target) - killed_at, two_intervals) << target;
  }
  EXPECT_TRUE(wait_until([&] { return states_match_stamps(); }, 30s, 200ms))
      << "a transition of a moved target was lost";
  EXPECT_TRUE(wait_until([&] { return !store_2_ticket_open(); }, 30s, 200ms))
      << "store 2 came back Up, and its ticket stayed open";

  // The owner kept the acknowledgement while it saw the violation again.
  EXPECT_TRUE(wait_until(
      [&] {
        return std::stoi(sql("SELECT occurrence_count FROM tickets WHERE id = " + acked_id)) >
               seen_at_ack;
      },
      30s, 200ms))
      << problems(*hosts[1]) << problems(*hosts[2]);
  EXPECT_EQ(sql("SELECT status FROM tickets WHERE id = " + acked_id), "acknowledged");

  // The first host comes back: three hosts share the targets again.
  const int port = free_port();
  hosts.push_back(start_host(port));
  const std::vector<std::string> now_live = {names[1], names[2], host_of(*hosts.back())};
  EXPECT_TRUE(wait_until([&] { return spread_over(now_live); }, 60s, 200ms));
  // Its /metrics says so too.
  EXPECT_TRUE(wait_until(
      [&] {
        const std::string metrics = http_request(port, "GET", "/metrics").body;
        const auto owned_here = owners();
        const auto mine =
            std::count_if(owned_here.begin(), owned_here.end(),
                          [&](const auto& entry) { return entry.second == now_live[2]; });
        return contains(metrics,
                        "\noperator_cluster_targets_owned " + std::to_string(mine) + "\n") &&
               contains(metrics, "\noperator_cluster_hosts 3\n") &&
               contains(metrics, "\noperator_cluster_targets 31\n");
      },
      20s, 200ms))
      << http_request(port, "GET", "/metrics").body;

  for (size_t h = 1; h < hosts.size(); ++h) hosts[h]->signal(SIGTERM);
  for (size_t h = 1; h < hosts.size(); ++h) EXPECT_TRUE(hosts[h]->wait(30s).has_value());

  // No target ran on two hosts at once, by the hosts' own logs.
  std::vector<LoggedRun> runs;
  std::set<std::string> ran;
  for (const auto& host : hosts) {
    for (LoggedRun& run : runs_in(host->err())) {
      ran.insert(run.target);
      runs.push_back(std::move(run));
    }
  }
  EXPECT_EQ(ran.size(), static_cast<size_t>(kAllTargets));
  for (const auto& overlap : runs_at_once(runs)) ADD_FAILURE() << overlap;
  // And the database never held two open tickets of one violation.
  EXPECT_EQ(sql("SELECT COUNT(*) FROM (SELECT violation_key FROM tickets WHERE status <> "
                "'resolved' GROUP BY violation_key HAVING COUNT(*) > 1) AS twice"),
            "0");
  EXPECT_TRUE(states_match_stamps());
  EXPECT_FALSE(store_2_ticket_open());
}

}  // namespace
}  // namespace opr::test
