// Three operator-host processes share six file_fresh targets of the
// example pack and one http_ok target whose server answers only when the
// test lets it, on one real PostgreSQL database. The host running the
// http_ok target is frozen (SIGSTOP, as a VM pause or a long GC stall
// does) while that run is in flight, and stays frozen until the others
// have taken its targets over and written what changed meanwhile. Thawed
// (SIGCONT), it must not write its late result (nor a timeout of it), must
// not count the lost lease as a failure, must not crash, and must take its
// share again; no ticket changes after the thaw, as nothing else did.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "cluster_hosts.h"
#include "loopback_server.h"
#include "postgres_server.h"
#include "test_support.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr int kFiles = 6;  // file_fresh targets t00..t05; "slow" besides
constexpr int kAllTargets = kFiles + 1;
constexpr const char* kSlow = "slow";
constexpr auto kInterval = 4s;  // every check's; the lease is 3s

// The http_ok target's server: answers 200 or 503 as the test says, and
// holds one request (the one in flight when the host freezes) until the
// test lets it go, with the answer it had when the request came.
class SlowServer {
 public:
  SlowServer() {
    loopback_.server().Get("/", [this](const httplib::Request& req, httplib::Response& res) {
      const int status = status_.load();
      if (hold_next_.exchange(false)) {
        held_port_ = req.remote_port;
        held_ = true;
        release_.wait();
      }
      res.status = status;
      res.set_content(status == 200 ? "up\n" : "down\n", "text/plain");
    });
    loopback_.start();
  }
  std::string url() const { return loopback_.url("/"); }
  void answer(int status) { status_ = status; }
  // The next request waits until release(); held() says it came.
  void hold_next() { hold_next_ = true; }
  bool held() const { return held_; }
  // The port the held request came from.
  int held_port() const { return held_port_; }
  void release() { release_.open(); }

 private:
  std::atomic<int> status_{200};
  std::atomic<bool> hold_next_{false};
  std::atomic<bool> held_{false};
  std::atomic<int> held_port_{0};
  Gate release_{60s};
  LoopbackServer loopback_;  // last: it stops before what its handler uses
};

// The process among `pids` with a TCP socket whose local port is `port`:
// the host a request came from, by the request's remote port.
int pid_with_local_port(const std::vector<int>& pids, int port) {
  std::set<std::string> sockets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream lines(read_file(table));
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      const size_t colon = local.rfind(':');
      if (colon != std::string::npos && std::stoi(local.substr(colon + 1), nullptr, 16) == port) {
        sockets.insert("socket:[" + inode + "]");
      }
    }
  }
  for (const int pid : pids) {
    std::error_code error;
    for (const auto& fd :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error)) {
      std::error_code unreadable;
      if (sockets.count(std::filesystem::read_symlink(fd.path(), unreadable).string())) return pid;
    }
  }
  return -1;
}

// When the run in flight at the freeze gets its answer: while the host is
// frozen (it waits in the socket), or only after the thaw, once the host
// has given the run up. Either way, on the thaw the run returns or the
// host's timer ends it first (a timeout: a failure that must not count).
struct Answer {
  bool answer_after_thaw = false;
  const char* name = "";
};
void PrintTo(const Answer& answer, std::ostream* out) { *out << answer.name; }

class Freeze : public ::testing::TestWithParam<Answer> {
 protected:
  void SetUp() override {
    if (db_.server == nullptr) GTEST_SKIP() << db_.skip_reason;
    uri_ = db_.uri;
    std::filesystem::create_directories(dir_.path() / "packs");
    const auto pack = copy_pack(example_pack(), dir_.path() / "packs");
    std::ostringstream config;
    config << cluster_config_head(uri_, pack.parent_path());
    for (int i = 0; i < kFiles; ++i) {
      config << file_fresh_target(target_name(i), stamp(i));
      if (i % 2 == 0) write_file(stamp(i), "fresh\n");  // odd ones are missing: a ticket each
    }
    config << "  - name: " << kSlow << "\n    pack: example\n    checks:\n"
           << "      http_ok: {interval: 4s, grace: 0s, max_latency_ms: 60000, url: \""
           << slow_.url() << "\"}\n"
           << "      file_fresh: {enabled: false, path: " << stamp(0).string() << "}\n";
    write_file(config_path(), config.str());
  }

  std::filesystem::path stamp(int i) const { return dir_.path() / ("stamp-" + target_name(i)); }
  std::filesystem::path config_path() const { return dir_.path() / "operator.yaml"; }
  std::unique_ptr<Process> start_host() const {
    return std::make_unique<Process>(
        std::vector<std::string>{operator_host().string(), "--config", config_path().string()});
  }
  bool spread_over(const std::vector<std::string>& hosts) const {
    return opr::test::spread_over(owners(uri_), kAllTargets, hosts);
  }

  std::string sql(const std::string& query) const { return db_.sql(query); }
  bool ticket_open(const std::string& target) const {
    return !sql("SELECT id FROM tickets WHERE target = '" + target + "' AND status <> 'resolved'")
                .empty();
  }
  // Each file target has an open ticket exactly when its stamp is missing,
  // and the slow one exactly when its server answers 503.
  bool tickets_match_truth(bool slow_down) const {
    for (int i = 0; i < kFiles; ++i) {
      if (ticket_open(target_name(i)) == std::filesystem::exists(stamp(i))) return false;
    }
    return ticket_open(kSlow) == slow_down;
  }

  ClusterDatabase db_;
  std::string uri_;
  TempDir dir_;
  SlowServer slow_;
};

TEST_P(Freeze, AHostFrozenPastItsLeaseDropsItsLateResultAndRejoins) {
  std::vector<std::unique_ptr<Process>> hosts;
  for (int i = 0; i < 3; ++i) hosts.push_back(start_host());
  std::vector<std::string> names;
  for (const auto& host : hosts) names.push_back(host_of(*host));
  ASSERT_TRUE(wait_until([&] { return spread_over(names); }, 60s, 200ms))
      << hosts[0]->err().substr(0, 4000);
  ASSERT_TRUE(wait_until([&] { return tickets_match_truth(false); }, 30s, 200ms));

  // The host that runs the slow target freezes while its run is in flight,
  // once it has written the rest of that cycle: frozen inside a write
  // transaction, it would hold the database's write lock until the server
  // ends its session after 10 s (postgres_reconnect_test covers that), and
  // this test is about the lease.
  const auto owned = owners(uri_);
  std::vector<size_t> marks;
  for (const auto& host : hosts) marks.push_back(host->err().size());
  slow_.hold_next();
  ASSERT_TRUE(wait_until([&] { return slow_.held(); }, 30s, 1ms));
  std::vector<int> pids;
  for (const auto& host : hosts) pids.push_back(host->pid());
  const int sender = pid_with_local_port(pids, slow_.held_port());
  const size_t frozen = std::find(pids.begin(), pids.end(), sender) - pids.begin();
  ASSERT_LT(frozen, pids.size()) << "no host has the socket of port " << slow_.held_port();
  std::vector<std::string> moved;
  for (const auto& [target, host] : owned) {
    if (host == names[frozen]) moved.push_back(target);
  }
  ASSERT_NE(std::find(moved.begin(), moved.end(), kSlow), moved.end());
  ASSERT_TRUE(wait_until(
      [&] {
        const std::string cycle = hosts[frozen]->err().substr(marks[frozen]);
        return std::all_of(moved.begin(), moved.end(), [&](const std::string& t) {
          return t == kSlow || contains(cycle, t + "/file_fresh ok in");
        });
      },
      5s, 1ms));
  hosts[frozen]->signal(SIGSTOP);
  const long long frozen_at = wall_ms();
  // Meanwhile what its targets see changes; the held run answers with the
  // old truth (200) once the host reads it, after the thaw.
  slow_.answer(503);
  for (const auto& target : moved) {
    if (target == kSlow) continue;
    const int i = std::stoi(target.substr(1));
    if (std::filesystem::exists(stamp(i))) {
      std::filesystem::remove(stamp(i));
    } else {
      write_file(stamp(i), "fresh\n");
    }
  }
  if (!GetParam().answer_after_thaw) slow_.release();

  // Each of its targets runs on another host within two intervals, and the
  // others write the new truth. The freeze lasts until each has run there
  // twice: about three leases.
  const auto runs_elsewhere_since = [&](const std::string& target, long long since) {
    std::vector<long long> starts;
    for (size_t h = 0; h < hosts.size(); ++h) {
      if (h == frozen) continue;
      for (const LoggedRun& run : runs_in(hosts[h]->err())) {
        if (run.target == target && run.from >= since) starts.push_back(run.from);
      }
    }
    std::sort(starts.begin(), starts.end());
    return starts;
  };
  ASSERT_TRUE(wait_until(
      [&] {
        return std::all_of(moved.begin(), moved.end(), [&](const std::string& t) {
          return runs_elsewhere_since(t, frozen_at).size() >= 2;
        });
      },
      30s, 200ms))
      << "frozen at " << frozen_at << "\n"
      << hosts[(frozen + 1) % 3]->err() << "\n----\n"
      << hosts[(frozen + 2) % 3]->err();
  const long long two_intervals =
      std::chrono::duration_cast<std::chrono::milliseconds>(2 * kInterval).count();
  for (const auto& target : moved) {
    EXPECT_LE(runs_elsewhere_since(target, frozen_at).front() - frozen_at, two_intervals) << target;
  }
  ASSERT_TRUE(wait_until([&] { return tickets_match_truth(true); }, 30s, 200ms))
      << "a transition of a frozen host's target was lost";
  const std::string events_before_thaw = sql("SELECT COALESCE(MAX(id), 0) FROM ticket_events");

  // Thawed, it learns that it lost the lease of the run it had in flight.
  const long long thawed_at = wall_ms();
  hosts[frozen]->signal(SIGCONT);
  const std::string lease_lost = "no longer holds the lease of target '" + std::string(kSlow) + "'";
  EXPECT_TRUE(hosts[frozen]->wait_for_output(lease_lost, 30s)) << problems(*hosts[frozen]);
  slow_.release();  // AfterTheThaw: the answer comes only now

  // It rejoins: the targets spread over all three hosts again, and each
  // target it took back has run there.
  ASSERT_TRUE(wait_until([&] { return spread_over(names); }, 60s, 200ms));
  const auto rejoined = owners(uri_);
  ASSERT_TRUE(wait_until(
      [&] {
        const auto runs = runs_in(hosts[frozen]->err());
        return std::all_of(rejoined.begin(), rejoined.end(), [&](const auto& entry) {
          return entry.second != names[frozen] ||
                 std::any_of(runs.begin(), runs.end(), [&](const LoggedRun& run) {
                   return run.target == entry.first && run.from >= thawed_at;
                 });
        });
      },
      30s, 200ms));

  // Nothing changed a ticket after the thaw: the truth did not change.
  EXPECT_TRUE(tickets_match_truth(true));
  EXPECT_EQ(sql("SELECT COUNT(*) FROM ticket_events WHERE id > " + events_before_thaw), "0")
      << sql("SELECT t.violation_key, e.from_status, e.to_status, e.note FROM ticket_events e "
             "JOIN tickets t ON t.id = e.ticket_id WHERE e.id > " +
             events_before_thaw);
  // The lost lease is no failure: no :failed ticket, no failure counted.
  EXPECT_EQ(sql("SELECT COUNT(*) FROM tickets WHERE violation_key LIKE '%:failed%'"), "0");
  const std::string log = hosts[frozen]->err();
  EXPECT_FALSE(contains(log, std::string(kSlow) + "/http_ok failed")) << problems(*hosts[frozen]);
  static const std::regex failures_counted(
      R"(Check complete: \d+ checks run, \d+ violations, [1-9])");
  EXPECT_FALSE(std::regex_search(log, failures_counted)) << problems(*hosts[frozen]);
  EXPECT_TRUE(hosts[frozen]->running());

  for (auto& host : hosts) host->signal(SIGTERM);
  for (auto& host : hosts) EXPECT_EQ(host->wait(30s), 0);

  // No target ran on two hosts at once, by the hosts' own logs, but for
  // the frozen run, which straddles the freeze and whose result was dropped.
  std::vector<LoggedRun> runs;
  for (size_t h = 0; h < hosts.size(); ++h) {
    for (LoggedRun& run : runs_in(hosts[h]->err())) {
      const bool the_frozen_run = h == frozen && run.from <= frozen_at && run.to >= frozen_at;
      if (!the_frozen_run) runs.push_back(std::move(run));
    }
  }
  for (const auto& overlap : runs_at_once(runs)) {
    ADD_FAILURE() << overlap << " (frozen " << frozen_at << " to " << thawed_at << ")\n"
                  << hosts[0]->err() << "\n----\n"
                  << hosts[1]->err() << "\n----\n"
                  << hosts[2]->err();
  }
}

INSTANTIATE_TEST_SUITE_P(WhenTheRunIsAnswered, Freeze,
                         ::testing::Values(Answer{false, "WhileFrozen"},
                                           Answer{true, "AfterTheThaw"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace opr::test
