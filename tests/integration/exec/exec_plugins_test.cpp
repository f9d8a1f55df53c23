// Debian's monitoring-plugins-basic as they are, through operator-host,
// against servers the tests start on loopback: the whole Nagios plugin
// ecosystem works with the exec pack unchanged. CI installs the package
// (scripts/setup); where a plugin is missing, its test is skipped.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "exec_harness.h"
#include "loopback_server.h"

namespace opr::test {
namespace {

#define REQUIRE_PLUGIN(name)                                                                  \
  if (!std::filesystem::exists(nagios_plugin(name))) {                                        \
    GTEST_SKIP() << nagios_plugin(name).string()                                              \
                 << " is missing: install Debian's monitoring-plugins-basic (scripts/setup)"; \
  }

nlohmann::json snapshot(const tickets::Ticket& ticket) {
  return nlohmann::json::parse(ticket.metric_snapshot);
}

TEST(NagiosPlugins, CheckTcpAgainstAListenerAndAClosedPort) {
  REQUIRE_PLUGIN("check_tcp");
  LoopbackServer server;
  server.start();
  ExecHarness harness;
  const std::string tcp = nagios_plugin("check_tcp").string();
  harness.write_config(
      "targets:\n" +
      exec_target("up", {tcp, "-H", "127.0.0.1", "-p", std::to_string(server.port())}) +
      exec_target("down", {tcp, "-H", "127.0.0.1", "-p", std::to_string(free_port())}));
  const auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "OK up/status")) << result.out;
  EXPECT_TRUE(contains(result.out, "VIOLATION down/status: connect to address 127.0.0.1 and port"))
      << result.out;
  EXPECT_FALSE(harness.open_ticket("up/status"));
  const auto down = harness.open_ticket("down/status");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->severity, Severity::critical);
  EXPECT_TRUE(contains(down->message, "Connection refused")) << down->message;
  EXPECT_EQ(snapshot(*down)["exit_code"], 2);
}

TEST(NagiosPlugins, CheckHttpStatusesAndItsPerfdataAsFacts) {
  REQUIRE_PLUGIN("check_http");
  LoopbackServer server;
  server.server().Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hello", "text/plain");
  });
  server.server().Get("/broken", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("oops", "text/plain");
  });
  server.start();
  ExecHarness harness;
  const std::string http = nagios_plugin("check_http").string();
  const std::string port = std::to_string(server.port());
  harness.write_config(
      "targets:\n" + exec_target("web", {http, "-H", "127.0.0.1", "-p", port, "-u", "/"}) +
      exec_target("api", {http, "-H", "127.0.0.1", "-p", port, "-u", "/broken"}) +
      exec_target("gone", {http, "-H", "127.0.0.1", "-p", port, "-u", "/nothing-here"}));
  const auto result = harness.run_once();
  EXPECT_TRUE(contains(result.out, "OK web/status")) << result.out;
  const auto broken = harness.open_ticket("api/status");
  ASSERT_TRUE(broken) << result.out;
  EXPECT_EQ(broken->severity, Severity::critical);
  EXPECT_TRUE(contains(broken->message, "HTTP CRITICAL")) << broken->message;
  EXPECT_TRUE(contains(broken->message, "500")) << broken->message;
  const auto facts = snapshot(*broken);
  EXPECT_TRUE(facts["time"].is_number()) << facts.dump();
  EXPECT_EQ(facts["time.unit"], "s");
  EXPECT_EQ(facts["time.max"], 10);
  EXPECT_TRUE(facts["size"].is_number()) << facts.dump();
  EXPECT_EQ(facts["size.unit"], "B");
  // A 404 is a warning to check_http: the ticket's severity is the plugin's.
  const auto gone = harness.open_ticket("gone/status");
  ASSERT_TRUE(gone) << result.out;
  EXPECT_EQ(gone->severity, Severity::warning);
}

// Whether "/" is a mount point of this process's mount table: inside a
// chroot (a fresh-machine root) it is not, and check_disk then has no
// file system to report on.
bool root_is_mounted() {
  std::ifstream mounts("/proc/self/mounts");
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string device, mount_point;
    if (fields >> device >> mount_point && mount_point == "/") return true;
  }
  return false;
}

TEST(NagiosPlugins, CheckDiskQuotedLabelsAndBytes) {
  REQUIRE_PLUGIN("check_disk");
  if (!root_is_mounted()) {
    GTEST_SKIP() << "/ is not a mount point here (a chroot?): check_disk cannot measure it";
  }
  ExecHarness harness;
  // Less than 100 % free is certain: critical, with the mount's usage as facts.
  harness.write_config("targets:\n" + exec_target("disk", {nagios_plugin("check_disk").string(),
                                                           "-w", "100%", "-c", "100%", "-p", "/"}));
  const auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const auto disk = harness.open_ticket("disk/status");
  ASSERT_TRUE(disk) << result.out;
  EXPECT_TRUE(contains(disk->message, "DISK CRITICAL")) << disk->message;
  const auto facts = snapshot(*disk);
  EXPECT_TRUE(facts["/"].is_number()) << facts.dump();
  EXPECT_TRUE(facts["/.max"].is_number()) << facts.dump();
  EXPECT_FALSE(facts.contains("perfdata_ignored")) << facts.dump();
}

TEST(NagiosPlugins, CheckProcsOkThenCriticalAndBack) {
  REQUIRE_PLUGIN("check_procs");
  ExecHarness harness;
  const std::string procs = nagios_plugin("check_procs").string();
  harness.write_config("targets:\n" + exec_target("procs", {procs, "-w", ":1", "-c", ":1"}));
  auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;  // more than one process runs here
  const auto open = harness.open_ticket("procs/status");
  ASSERT_TRUE(open) << result.out;
  EXPECT_TRUE(contains(open->message, "PROCS CRITICAL")) << open->message;
  EXPECT_TRUE(snapshot(*open)["procs"].is_number());

  harness.write_config("targets:\n" +
                       exec_target("procs", {procs, "-w", ":1000000", "-c", ":1000000"}));
  result = harness.run_once();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(harness.open_ticket("procs/status")) << "resolved by a run that looked";
}

}  // namespace
}  // namespace opr::test
