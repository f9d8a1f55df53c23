// One ticket per cause (ABI 1.3): PD answering 500 fails store_up, latency
// and disk_space alike (pd_health and store_slow too), and the pack names
// PD as the cause of each: the monitor opens one `:failed` ticket for PD
// that lists the checks it blocks, instead of one `<check>:failed` ticket
// each; the checks' own
// tickets stay as they were and are marked blocked; PD back, the ticket
// resolves and the mark goes.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "tikv_cluster.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// Every check asks PD at every run (store_list_max_age 0s): each fails
// while PD does.
constexpr const char* kChecks =
    "store_up: {}\n      latency: {rate_window: 2s}\n      disk_space: {}";
constexpr const char* kFreshLists = "    store_list_max_age: 0s\n";

// Every enabled check asks PD.
bool blocks_all(const Json& ticket) {
  return ticket["metric_snapshot"]["blocks"] ==
         Json::array({"disk_space", "latency", "pd_health", "store_slow", "store_up"});
}

TEST(TikvCause, APdOutageIsOneTicketThatBlocksTheChecksAskingPd) {
  TikvCluster cluster(3);
  ASSERT_TRUE(cluster.wait_for_p99_ms({}));
  cluster.sim().change_store(2, R"({"state_name": "Down"})");
  TikvHost host(target_yaml(cluster, kChecks, kFreshLists));
  const CommandResult first = host.run_once();
  ASSERT_TRUE(host.cli_ticket("store_up", "2")) << first.out << first.err;
  const Json down = host.cli_ticket("store_up", "2").value();
  ASSERT_EQ(down["status"], "open");
  EXPECT_EQ(down["blocked_by"], nullptr);

  cluster.sim().set_pd_mode("error");
  const auto monitor = host.start();
  const std::string cause = "pd:" + cluster.pd_url();
  std::optional<Json> ticket;
  // Opened at the second failure in a row (failure_threshold 2) of the
  // first check; by its next failures every check has failed for PD.
  ASSERT_TRUE(wait_until(
      [&] {
        ticket = host.cli_ticket(":failed", cause);
        return ticket && (*ticket)["status"] == "open" && blocks_all(*ticket);
      },
      kPatience, 100ms))
      << (ticket ? ticket->dump() : "no ticket") << monitor->err();
  EXPECT_EQ((*ticket)["target"], "t");
  EXPECT_EQ((*ticket)["violation_key"], "t/:failed/" + cause);
  EXPECT_TRUE(contains((*ticket)["message"], cause + " failing; blocks disk_space, latency, "
                                                     "pd_health, store_slow, store_up ("))
      << *ticket;
  EXPECT_TRUE(contains((*ticket)["message"], "answered HTTP 500")) << *ticket;
  EXPECT_TRUE(monitor->wait_for_output("t: " + cause + " failing; opened ticket " +
                                           std::to_string((*ticket)["id"].get<int64_t>()) +
                                           ", blocks ",
                                       kPatience))
      << monitor->err();

  // None of the per-check :failed tickets, and the store's ticket as it
  // was, marked blocked.
  for (const char* check : {"store_up:failed", "latency:failed", "disk_space:failed",
                            "pd_health:failed", "store_slow:failed"}) {
    EXPECT_FALSE(host.cli_ticket(check)) << check;
  }
  const Json blocked = host.cli_ticket("store_up", "2").value();
  EXPECT_EQ(blocked["status"], "open");
  EXPECT_EQ(blocked["occurrence_count"], down["occurrence_count"]);
  EXPECT_EQ(blocked["blocked_by"], (*ticket)["id"]);
  EXPECT_EQ(blocked["blocked_cause"], cause);
  const CommandResult show =
      host.run({"tickets", "show", std::to_string(blocked["id"].get<int>())});
  EXPECT_TRUE(contains(show.out, "blocked by ticket " + std::to_string((*ticket)["id"].get<int>()) +
                                     " (" + cause + ")"))
      << show.out;
  ProcessOptions wide;
  wide.env = {{"COLUMNS", "200"}};
  const CommandResult list = host.run({"tickets", "list"}, wide);
  EXPECT_TRUE(contains(list.out, " blocked ")) << list.out;
  // On a narrow terminal the cause's long subject gives way once the
  // message is down to its least; the flags keep their room.
  ProcessOptions narrow;
  narrow.env = {{"COLUMNS", "100"}};
  const CommandResult fitted = host.run({"tickets", "list"}, narrow);
  std::istringstream lines(fitted.out);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 100u) << fitted.out;
  EXPECT_TRUE(contains(fitted.out, " blocked ")) << fitted.out;
  EXPECT_FALSE(contains(fitted.out, cause)) << fitted.out;
  EXPECT_EQ(blocked["flags"], Json::array({"blocked"}));

  // PD back: every blocked check runs again, and the ticket resolves.
  cluster.sim().set_pd_mode("ok");
  ASSERT_TRUE(wait_until(
      [&] {
        ticket = host.cli_ticket(":failed", cause);
        return ticket && (*ticket)["status"] == "resolved";
      },
      kPatience, 100ms))
      << monitor->err();
  const Json after = host.cli_ticket("store_up", "2").value();
  EXPECT_EQ(after["status"], "open");
  EXPECT_EQ(after["blocked_by"], nullptr);
  EXPECT_TRUE(monitor->wait_for_output("t: " + cause + " no longer failing; resolved ticket " +
                                           std::to_string((*ticket)["id"].get<int64_t>()),
                                       kPatience))
      << monitor->err();
}

}  // namespace
}  // namespace opr::test
