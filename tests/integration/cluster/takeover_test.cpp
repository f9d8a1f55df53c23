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
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "postgres_server.h"
#include "prometheus_server.h"
#include "sim_process.h"
#include "test_support.h"
#include "tikv_family.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;

constexpr int kTargets = 30;  // of the example pack; one TiKV target besides
constexpr int kAllTargets = kTargets + 1;
constexpr const char* kDownStore = "tikv/store_up/2";
constexpr auto kInterval = 4s;  // every check's; the lease is 3s

long long wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string target_name(int i) {
  return std::string("t") + (i < 10 ? "0" : "") + std::to_string(i);
}

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

// One run as its host logged it: from before it started to after it ended.
struct LoggedRun {
  std::string target;
  std::string host;
  long long from = 0;
  long long to = 0;
};

std::vector<LoggedRun> runs_in(const std::string& log) {
  static const std::regex line(
      R"(([A-Za-z0-9_.-]+)/[a-z_]+ ran on host (\S+) from (\d+) to (\d+))");
  std::vector<LoggedRun> runs;
  for (std::sregex_iterator it(log.begin(), log.end(), line), end; it != end; ++it) {
    runs.push_back({(*it)[1], (*it)[2], std::stoll((*it)[3]), std::stoll((*it)[4])});
  }
  return runs;
}

// The warnings and errors of a host's log, for a failure's message.
std::string problems(const Process& host) {
  std::istringstream log(host.err());
  std::string line;
  std::string found;
  while (std::getline(log, line)) {
    if (line.find(" error ") != std::string::npos || line.find(" warning ") != std::string::npos) {
      found += line + "\n";
    }
  }
  return found;
}

class Takeover : public ::testing::Test {
 protected:
  void SetUp() override {
    const PostgresTestDatabase postgres = postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    server_ = postgres.server;
    database_ = postgres.name;
    uri_ = postgres.socket_uri;
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
    config << "database: " << uri_ << "\nplugin_dirs: [" << pack.parent_path().string()
           << "]\nlog: {level: debug}\ncluster: {lease: 3s}\n"
           << "defaults: {timeout: 1s, isolation: in_process}\ntargets:\n";
    for (int i = 0; i < kTargets; ++i) {
      config << "  - name: " << target_name(i) << "\n    pack: example\n    checks:\n"
             << "      http_ok: {enabled: false, url: \"http://127.0.0.1:1/\"}\n"
             << "      file_fresh: {interval: 4s, path: " << stamp(i).string() << "}\n";
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
  static std::string host_of(const Process& process) {
    return this_host() + ":" + std::to_string(process.pid());
  }

  // target -> owning live host, from `cluster status --json`.
  std::map<std::string, std::string> owners() const {
    const CommandResult status = run_operator_host({"--db", uri_, "cluster", "status", "--json"});
    std::map<std::string, std::string> owned;
    if (status.exit_code != 0) return owned;
    const Json json = Json::parse(status.out);
    std::set<std::string> live;
    for (const auto& host : json["hosts"]) {
      if (host["live"].get<bool>()) live.insert(host["host"].get<std::string>());
    }
    for (const auto& target : json["targets"]) {
      if (target["state"] != "owned") continue;
      const std::string host = target["host"].get<std::string>();
      if (live.count(host)) owned[target["target"].get<std::string>()] = host;
    }
    return owned;
  }

  // True when every target is owned by one of `hosts`, none over its fair
  // share (ceil(31 / 3) = 11), so none under 31 - 2 x 11 = 9 either.
  bool spread_over(const std::vector<std::string>& hosts) const {
    const auto owned = owners();
    if (owned.size() != static_cast<size_t>(kAllTargets)) return false;
    std::map<std::string, int> per_host;
    for (const auto& [target, host] : owned) ++per_host[host];
    const int count = static_cast<int>(hosts.size());
    const int share = (kAllTargets + count - 1) / count;
    for (const auto& host : hosts) {
      if (per_host[host] > share || per_host[host] < kAllTargets - (count - 1) * share) {
        return false;
      }
    }
    return per_host.size() == hosts.size();
  }

  std::string sql(const std::string& query) const {
    std::string out = server_->psql(database_, query);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }
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

  PostgresServer* server_ = nullptr;
  std::string database_;
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
  std::map<std::string, std::vector<LoggedRun>> by_target;
  for (const auto& host : hosts) {
    for (LoggedRun& run : runs_in(host->err())) by_target[run.target].push_back(std::move(run));
  }
  EXPECT_EQ(by_target.size(), static_cast<size_t>(kAllTargets));
  for (const auto& [target, runs] : by_target) {
    for (const LoggedRun& a : runs) {
      for (const LoggedRun& b : runs) {
        if (a.host == b.host || a.from > b.from) continue;
        EXPECT_GE(b.from, a.to) << target << " ran on " << a.host << " and " << b.host
                                << " at once";
      }
    }
  }
  // And the database never held two open tickets of one violation.
  EXPECT_EQ(sql("SELECT COUNT(*) FROM (SELECT violation_key FROM tickets WHERE status <> "
                "'resolved' GROUP BY violation_key HAVING COUNT(*) > 1) AS twice"),
            "0");
  EXPECT_TRUE(states_match_stamps());
  EXPECT_FALSE(store_2_ticket_open());
}

}  // namespace
}  // namespace opr::test
