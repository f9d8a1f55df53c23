// A pack that never returns costs its own target, never the monitor, in
// either isolation: a create() or a run that blocks past its timeout counts
// a failure at each due time (so the `:failed` ticket opens at the
// threshold), the other targets keep their cycle, and SIGTERM ends the host
// in time, naming the pack. In-process the stuck call is abandoned; in a
// runner (the default) the runner is killed.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// The words the host uses in each isolation.
struct Words {
  const char* in_process;
  const char* process;
};

class StuckPack : public ::testing::TestWithParam<const char*> {
 protected:
  bool in_process() const { return std::string(GetParam()) == "in_process"; }
  std::string expected(const Words& words) const {
    return in_process() ? words.in_process : words.process;
  }

  // Two targets of the control pack: `stuck` (told what to do by its files)
  // and `steady`, which passes every 100 ms.
  void write_config(const std::string& stuck_checks, const std::string& stuck_params = "") {
    write_file(harness_.file("ok"), "ok\n");
    harness_.write_config(
        "workers: 1\n"            // stuck calls must not starve the pool
        "shutdown_timeout: 3s\n"  // the steady runs end well within it, even on a loaded machine

        "defaults: {failure_threshold: 3, isolation: " +
        std::string(GetParam()) +
        "}\n"
        "targets:\n"
        "  - name: stuck\n"
        "    pack: control\n"
        "    timeout: 300ms\n" +
        stuck_params + "    checks:\n      probe: {" + stuck_checks +
        "}\n"
        "  - name: steady\n"
        "    pack: control\n"
        "    checks:\n"
        "      probe: {interval: 100ms, command_file: " +
        harness_.file("ok").string() + ", log_file: " + steady_log_.string() + "}\n");
  }

  // The steady target goes on running while `stuck` is stuck.
  void expect_steady_keeps_its_cycle(const Process& host) {
    const int before = count_lines(steady_log_, "probe end");
    EXPECT_TRUE(
        wait_until([&] { return count_lines(steady_log_, "probe end") >= before + 5; }, 30s))
        << host.err();
  }

  // SIGTERM ends the host although a pack never returns, naming it.
  void expect_sigterm_ends_the_host(Process& host, const std::string& logged) {
    host.signal(SIGTERM);
    const auto code = host.wait(20s);
    ASSERT_TRUE(code.has_value()) << "still running after SIGTERM\n" << host.err();
    EXPECT_EQ(*code, 0) << host.err();
    EXPECT_NE(host.err().find(logged), std::string::npos) << host.err();
  }

  HostHarness harness_;
  const std::filesystem::path steady_log_ = harness_.file("steady.log");
  FileGate release_{harness_.file("release")};
};

TEST_P(StuckPack, ACreateThatNeverReturnsFailsItsTargetUntilTheThreshold) {
  write_file(harness_.file("lifecycle"), "create block_until " + release_.path().string() + "\n");
  write_config("interval: 100ms, command_file: " + harness_.file("ok").string(),
               "    lifecycle_file: " + harness_.file("lifecycle").string() + "\n");
  auto host = harness_.start();
  ASSERT_TRUE(
      wait_until([&] { return harness_.open_ticket("stuck/probe:failed").has_value(); }, 30s))
      << host->err();
  const auto failed = harness_.open_ticket("stuck/probe:failed");
  EXPECT_NE(failed->message.find("create()"), std::string::npos) << failed->message;
  EXPECT_GE(nlohmann::json::parse(failed->metric_snapshot)["consecutive_failures"].get<int>(), 3);
  expect_steady_keeps_its_cycle(*host);
  expect_sigterm_ends_the_host(
      *host, expected({"pack 'control' is still inside create() for target 'stuck'",
                       "pack 'control' did not return from create() for target 'stuck' within "
                       "300ms; its runner was killed"}));
}

TEST_P(StuckPack, ARunIgnoringCancellationFailsAtEveryDueTimeUntilTheThreshold) {
  write_file(harness_.file("block"), "block_until " + release_.path().string() + "\n");
  const auto log = harness_.file("stuck.log");
  write_config("interval: 100ms, command_file: " + harness_.file("block").string() +
               ", log_file: " + log.string());
  auto host = harness_.start();
  ASSERT_TRUE(
      wait_until([&] { return harness_.open_ticket("stuck/probe:failed").has_value(); }, 30s))
      << host->err();
  const auto failed = harness_.open_ticket("stuck/probe:failed");
  EXPECT_NE(failed->message.find(expected({"still running", "did not return"})), std::string::npos)
      << failed->message;
  EXPECT_NE(host->err().find(expected({"stuck/probe timed out after 300ms",
                                       "stuck/probe failed (1 in a row): timed out after 300ms; "
                                       "pack 'control' did not return, its runner was killed"})),
            std::string::npos)
      << host->err();
  expect_steady_keeps_its_cycle(*host);
  if (in_process()) {
    // The stuck instance is never called again while it has not returned.
    EXPECT_EQ(count_lines(log, "probe start"), 1);
    expect_sigterm_ends_the_host(
        *host, "pack 'control' is still running check 'probe' for target 'stuck'; abandoning it");
  } else {
    // Its runner was killed: a new one runs the check again, after a pause.
    EXPECT_TRUE(wait_until([&] { return count_lines(log, "probe start") >= 2; }, 30s))
        << host->err();
    expect_sigterm_ends_the_host(*host, "its runner is started again in 1s");
  }
}

TEST_P(StuckPack, ADestroyThatNeverReturnsDoesNotHoldUpShutdown) {
  write_file(harness_.file("lifecycle"), "destroy block_until " + release_.path().string() + "\n");
  const auto log = harness_.file("stuck.log");
  write_config("interval: 100ms, command_file: " + harness_.file("ok").string() +
                   ", log_file: " + log.string(),
               "    lifecycle_file: " + harness_.file("lifecycle").string() + "\n");
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return count_lines(log, "probe end") >= 1; }, 30s)) << host->err();
  expect_sigterm_ends_the_host(
      *host, expected({"pack 'control' is still inside destroy() for target 'stuck'",
                       "pack 'control' did not return from destroy() for target 'stuck' within "
                       "300ms; its runner was killed"}));
}

// --once must end too: every check is reported, the stuck one as failed.
TEST_P(StuckPack, OnceReportsAStuckCreateAsAFailedCheckAndExits) {
  write_file(harness_.file("lifecycle"), "create block_until " + release_.path().string() + "\n");
  write_config("command_file: " + harness_.file("ok").string(),
               "    lifecycle_file: " + harness_.file("lifecycle").string() + "\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find(expected(
                {"FAILED stuck/probe: the pack's create() did not return within 300ms",
                 "FAILED stuck/probe: could not create the pack instance: pack 'control' did not "
                 "return from create() for target 'stuck' within 300ms; its runner was killed"})),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("OK steady/probe"), std::string::npos) << result.out;
}

INSTANTIATE_TEST_SUITE_P(Isolation, StuckPack, ::testing::Values("in_process", "process"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace opr::test
