// store_up end to end: tikv-sim's PD, operator-host, tickets in SQLite.
#include <gtest/gtest.h>

#include <chrono>

#include "common/time_format.h"
#include "tikv_cluster.h"

namespace opr::test {
namespace {

constexpr const char* kStoreUpOnly =
    "store_up: {}\n      latency: {enabled: false}\n      disk_space: {enabled: false}";

// How soon after the fault the ticket opens (an interval and a run) is
// measured by bench/run; here each poll starts a process, so no bound.
TEST(TikvStoreUp, DownStoreOpensACriticalTicketAndResolvesWhenUp) {
  TikvCluster cluster(3, {}, false);
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  const auto monitor = host.start();
  ASSERT_TRUE(monitor->wait_for_output("Check complete", kPatience)) << monitor->err();

  const auto injected = now_ms();
  cluster.sim().change_store(2, R"({"state_name": "Down"})");
  std::optional<Json> ticket;
  ASSERT_TRUE(wait_until([&] { return (ticket = host.cli_ticket("store_up", "2")).has_value(); },
                         kPatience, std::chrono::milliseconds(100)))
      << monitor->err();
  // Seen by a run after the fault, not made up before it.
  EXPECT_GE(parse_utc((*ticket)["first_seen_at"].get<std::string>()).value(), injected) << *ticket;
  EXPECT_EQ((*ticket)["status"], "open");
  EXPECT_EQ((*ticket)["severity"], "critical");
  EXPECT_EQ((*ticket)["message"], "Store 2 at 10.0.1.12:20160 is Down");
  EXPECT_EQ((*ticket)["metric_snapshot"]["state_name"], "Down");
  EXPECT_EQ((*ticket)["metric_snapshot"]["status_address"], "10.0.1.12:20180");
  EXPECT_GT((*ticket)["metric_snapshot"]["heartbeat_age_s"].get<double>(), 30 * 60);

  cluster.sim().change_store(2, R"({"state_name": "Up"})");
  ASSERT_TRUE(wait_until(
      [&] {
        ticket = host.cli_ticket("store_up", "2");
        return ticket && (*ticket)["status"] == "resolved";
      },
      kPatience, std::chrono::milliseconds(100)))
      << monitor->err();
  // One ticket for the whole outage, however many cycles saw it.
  int store_up_tickets = 0;
  for (const Json& t : host.cli_tickets()) store_up_tickets += t["check"] == "store_up" ? 1 : 0;
  EXPECT_EQ(store_up_tickets, 1);
}

TEST(TikvStoreUp, EveryStateButUpIsAViolation) {
  TikvCluster cluster(4, {}, false);
  cluster.sim().change_store(2, R"({"state_name": "Disconnected"})");
  cluster.sim().change_store(3, R"({"state_name": "Offline"})");
  TikvHost host(target_yaml(cluster, kStoreUpOnly));
  const CommandResult run = host.run_once();
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;  // CRITICAL
  EXPECT_EQ(host.cli_ticket("store_up", "2").value()["message"],
            "Store 2 at 10.0.1.12:20160 is Disconnected");
  EXPECT_EQ(host.cli_ticket("store_up", "3").value()["message"],
            "Store 3 at 10.0.1.13:20160 is Offline (being removed from the cluster)");
  EXPECT_FALSE(host.cli_ticket("store_up", "1"));
  EXPECT_FALSE(host.cli_ticket("store_up", "4"));
}

TEST(TikvStoreUp, AnOfflineStoreIsAPlannedRemovalAWarningUnlessOfflineSeveritySaysOtherwise) {
  TikvCluster cluster(3, {}, false);
  cluster.sim().change_store(3, R"({"state_name": "Offline"})");
  const std::string message =
      "Store 3 at 10.0.1.13:20160 is Offline (being removed from the cluster)";

  TikvHost by_default(target_yaml(cluster, kStoreUpOnly));
  const CommandResult warned = by_default.run_once();
  EXPECT_EQ(warned.exit_code, 1) << warned.out << warned.err;  // WARNING
  const Json warning = by_default.cli_ticket("store_up", "3").value();
  EXPECT_EQ(warning["severity"], "warning");
  EXPECT_EQ(warning["message"], message);

  // Down stays critical, beside it, with its message as it was.
  cluster.sim().change_store(2, R"({"state_name": "Down"})");
  const CommandResult both = by_default.run_once();
  EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
  EXPECT_EQ(by_default.cli_ticket("store_up", "2").value()["severity"], "critical");
  EXPECT_EQ(by_default.cli_ticket("store_up", "2").value()["message"],
            "Store 2 at 10.0.1.12:20160 is Down");
  EXPECT_EQ(by_default.cli_ticket("store_up", "3").value()["severity"], "warning");
  cluster.sim().change_store(2, R"({"state_name": "Up"})");

  const auto with_offline_severity = [&](const std::string& severity) {
    return target_yaml(cluster, "store_up: {offline_severity: " + severity +
                                    "}\n      latency: {enabled: false}\n      disk_space: "
                                    "{enabled: false}");
  };
  TikvHost paged(with_offline_severity("critical"));
  const CommandResult critical = paged.run_once();
  EXPECT_EQ(critical.exit_code, 2) << critical.out << critical.err;
  EXPECT_EQ(paged.cli_ticket("store_up", "3").value()["severity"], "critical");
  EXPECT_EQ(paged.cli_ticket("store_up", "3").value()["message"], message);

  // The pack's table cannot list a string's values: a bad one fails the run.
  TikvHost wrong(with_offline_severity("fatal"));
  const CommandResult refused = wrong.run_once();
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_TRUE(contains(refused.out,
                       "store_up: offline_severity must be info, warning or critical, got 'fatal'"))
      << refused.out;
  EXPECT_FALSE(wrong.cli_ticket("store_up", "3"));
}

TEST(TikvStoreUp, TombstoneStoresAreReportedOnlyWhenAskedFor) {
  TikvCluster cluster(3, {}, false);
  cluster.sim().change_store(3, R"({"state_name": "Tombstone"})");

  TikvHost by_default(target_yaml(cluster, kStoreUpOnly));
  const CommandResult quiet = by_default.run_once();
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;
  EXPECT_TRUE(by_default.cli_tickets().empty());

  TikvHost asked(target_yaml(cluster,
                             "store_up: {include_tombstone: true}\n      latency: {enabled: "
                             "false}\n      disk_space: {enabled: false}"));
  const CommandResult loud = asked.run_once();
  EXPECT_EQ(loud.exit_code, 2) << loud.out << loud.err;
  EXPECT_EQ(asked.cli_ticket("store_up", "3").value()["message"],
            "Store 3 at 10.0.1.13:20160 is Tombstone");
}

TEST(TikvStoreUp, EndpointsComeFromTheEnvironmentWhenTheConfigLeavesThemOut) {
  TikvCluster cluster(3, {}, false);
  cluster.sim().change_store(1, R"({"state_name": "Down"})");
  TikvHost host("    pack: tikv\n    checks:\n      " + std::string(kStoreUpOnly) + "\n");

  ProcessOptions with_env;
  with_env.env = {{"PD_ENDPOINT", cluster.pd_url() + "/"},
                  {"PROMETHEUS_URL", "http://127.0.0.1:9"}};
  const CommandResult found = host.run_once(with_env);
  EXPECT_EQ(found.exit_code, 2) << found.out << found.err;
  EXPECT_TRUE(host.cli_ticket("store_up", "1"));

  ProcessOptions without;
  without.unset_env = {"PD_ENDPOINT", "PROMETHEUS_URL"};
  const CommandResult refused = host.run_once(without);
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  EXPECT_TRUE(contains(refused.out + refused.err,
                       "the tikv pack needs PD's address: set the parameter 'pd_endpoint' or "
                       "the environment variable PD_ENDPOINT"))
      << refused.out << refused.err;
}

}  // namespace
}  // namespace opr::test
