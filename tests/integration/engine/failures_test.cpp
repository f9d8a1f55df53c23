// The control pack made to fail and hang: failed runs resolve nothing and
// reach a `:failed` ticket at the threshold; a hung run times out while the
// other checks keep their schedule.
#include <gtest/gtest.h>
#include <signal.h>

#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

TEST(EngineFailures, FailedRunsResolveNothingAndOpenAFailedTicketAtTheThreshold) {
  HostHarness harness;
  const auto command = harness.file("command");
  write_file(command, "violate store-1 warning store 1 is down\n");
  harness.write_config(
      "defaults: {failure_threshold: 3}\n"
      "targets:\n"
      "  - name: ctl\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 150ms, command_file: " +
      command.string() + "}\n");
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("ctl/probe/store-1").has_value(); }, 10s))
      << host->err();

  write_file(command, "fail endpoint down\n");
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("ctl/probe:failed").has_value(); }, 10s))
      << host->err();
  const auto failed = harness.open_ticket("ctl/probe:failed");
  EXPECT_EQ(failed->message, "endpoint down");
  EXPECT_EQ(failed->check, tickets::failed_check_name("probe"));
  // Silence is not health: the violation's ticket is still open.
  EXPECT_TRUE(harness.open_ticket("ctl/probe/store-1").has_value());
  EXPECT_NE(host->err().find("failed (3 in a row): endpoint down"), std::string::npos);

  // The check succeeds again and no longer reports store-1: both resolve.
  write_file(command, "ok\n");
  ASSERT_TRUE(wait_until(
      [&] {
        return !harness.open_ticket("ctl/probe:failed") &&
               !harness.open_ticket("ctl/probe/store-1");
      },
      10s))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0);
}

// A dependency that hangs: some runs end on the pack's own request timeout,
// naming the cause, others on the host's timeout, naming nothing. Both are
// one streak of that cause, so its ticket opens at the threshold.
TEST(EngineFailures, ARunThatTimesOutKeepsTheCauseItsCheckLastFailedFor) {
  HostHarness harness;
  const auto command = harness.file("command");
  write_file(command, "fail_cause dep:http://dep:1 dep answered 500\n");
  harness.write_config(
      "defaults: {failure_threshold: 3}\n"
      "targets:\n"
      "  - name: ctl\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 150ms, timeout: 300ms, command_file: " +
      command.string() + "}\n");
  auto host = harness.start();
  ASSERT_TRUE(
      wait_until([&] { return host->err().find("(1 in a row)") != std::string::npos; }, 10s))
      << host->err();
  write_file(command, "hang 60000\n");
  ASSERT_TRUE(wait_until(
      [&] { return harness.open_ticket("ctl/:failed/dep:http://dep:1").has_value(); }, 20s))
      << host->err();
  EXPECT_NE(host->err().find("timed out after"), std::string::npos) << host->err();
  EXPECT_FALSE(harness.open_ticket("ctl/probe:failed").has_value());

  // It returns in time and passes: the streak and its ticket end.
  write_file(command, "ok\n");
  ASSERT_TRUE(wait_until(
      [&] { return !harness.open_ticket("ctl/:failed/dep:http://dep:1").has_value(); }, 20s))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0);
}

TEST(EngineFailures, AHungRunTimesOutWhileOtherChecksKeepTheirSchedule) {
  HostHarness harness;
  // Stuck until the test ends: however slow the machine, the run outlasts
  // everything this test looks at.
  const FileGate release(harness.file("release"));
  const auto hang = harness.file("hang");
  const auto ok = harness.file("ok");
  const auto hang_log = harness.file("hang.log");
  const auto ok_log = harness.file("ok.log");
  write_file(hang, "block_until " + release.path().string() + "\n");
  write_file(ok, "ok\n");
  // In-process, where the host cannot kill a stuck run (a runner's is
  // killed: tests/integration/tikv/isolation_test.cpp).
  harness.write_config(
      "workers: 1\n"  // the stuck run must not starve the pool
      "shutdown_timeout: 500ms\n"
      "defaults: {isolation: in_process}\n"
      "targets:\n"
      "  - name: stuck\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 100ms, timeout: 300ms, command_file: " +
      hang.string() + ", log_file: " + hang_log.string() +
      "}\n"
      "  - name: steady\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 100ms, command_file: " +
      ok.string() + ", log_file: " + ok_log.string() + "}\n");
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("stuck/probe timed out after 300ms", 30s)) << host->err();
  const int steady_runs = count_lines(ok_log, "probe end");
  // While the stuck call has not returned, the other target runs on...
  ASSERT_TRUE(wait_until([&] { return count_lines(ok_log, "probe end") >= steady_runs + 8; }, 30s))
      << host->err();
  // ...and the stuck instance is not started again.
  EXPECT_EQ(count_lines(hang_log, "probe start"), 1);
  EXPECT_EQ(count_lines(hang_log, "probe end"), 0);
  // SIGTERM ends the host although the run never returns (shutdown gives
  // up after shutdown_timeout, plus a second at most).
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

TEST(EngineFailures, AReturningRunIsLoggedAndItsInstanceRunsAgain) {
  HostHarness harness;
  const FileGate release(harness.file("release"));
  const auto command = harness.file("command");
  const auto log = harness.file("run.log");
  write_file(command, "block_until " + release.path().string() + "\n");
  // In-process: a runner's run that returns this late has been killed
  // (tests/unit/isolation/runner_test.cpp).
  harness.write_config(
      "defaults: {isolation: in_process}\n"
      "targets:\n"
      "  - name: slow\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 100ms, timeout: 200ms, command_file: " +
      command.string() + ", log_file: " + log.string() + "}\n");
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("slow/probe timed out after 200ms", 30s)) << host->err();
  // The run comes back only now, after the host gave up on it.
  write_file(command, "ok\n");
  release.open();
  ASSERT_TRUE(host->wait_for_output("slow/probe returned after", 30s)) << host->err();
  EXPECT_TRUE(host->wait_for_output("its result is ignored", 30s)) << host->err();
  ASSERT_TRUE(wait_until([&] { return count_lines(log, "probe end") >= 3; }, 30s)) << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

// A pack that crashes in-process takes the host with it (in a runner it
// costs one check: tests/integration/tikv/isolation_test.cpp), but no
// ticket is lost: the database is intact and a restarted host goes on from
// the tickets it left.
TEST(EngineFailures, APackThatCrashesTheHostLosesNoTicket) {
  HostHarness harness;
  const auto command = harness.file("command");
  write_file(command, "violate store-1 critical store 1 is down\n");
  harness.write_config(
      "defaults: {isolation: in_process}\n"
      "targets:\n"
      "  - name: ctl\n"
      "    pack: control\n"
      "    checks:\n"
      "      probe: {interval: 100ms, command_file: " +
      command.string() + "}\n");
  {
    auto host = harness.start();
    ASSERT_TRUE(
        wait_until([&] { return harness.open_ticket("ctl/probe/store-1").has_value(); }, 10s))
        << host->err();
    write_file(command, "crash\n");
    const auto code = host->wait(30s);
    ASSERT_TRUE(code.has_value()) << host->err();
    EXPECT_EQ(*code, 128 + SIGABRT);
  }
  const auto check = harness.integrity_check();
  EXPECT_EQ(check.out, "ok\n") << check.err;
  const auto kept = harness.open_ticket("ctl/probe/store-1");
  ASSERT_TRUE(kept.has_value());

  // Restarted with a healthy system, the host resolves the same ticket.
  write_file(command, "ok\n");
  auto host = harness.start();
  ASSERT_TRUE(
      wait_until([&] { return !harness.open_ticket("ctl/probe/store-1").has_value(); }, 10s))
      << host->err();
  const auto tickets = harness.tickets_with_key("ctl/probe/store-1");
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].id, kept->id);
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

}  // namespace
}  // namespace opr::test
