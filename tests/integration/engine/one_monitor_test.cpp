// One monitor per ticket database: a second one (or a --once run) beside a
// running monitor refuses to start and names the first one's PID and host,
// the CLI keeps working beside it, and a monitor that died (even by
// SIGKILL) leaves nothing that stops the next one.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

class OneMonitor : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(harness_.file("a.cmd"), "violate s1 warning\n");
    harness_.write_config("targets:\n" + control_target(harness_, "a"));
    first_ = harness_.start();
    ASSERT_TRUE(wait_until([&] { return harness_.open_ticket("a/probe/s1").has_value(); }, 60s))
        << first_->err();
  }

  std::string holder() const {
    return "PID " + std::to_string(first_->pid()) + " on host " + this_host();
  }

  HostHarness harness_;
  std::unique_ptr<Process> first_;
};

TEST_F(OneMonitor, ASecondMonitorRefusesToStartAndNamesTheFirst) {
  const CommandResult second = run_operator_host({"--config", harness_.config_path().string()});
  EXPECT_EQ(second.exit_code, 1) << second.err;
  EXPECT_TRUE(contains(
      second.err, "another monitor is using the ticket database " + harness_.db_path().string()))
      << second.err;
  EXPECT_TRUE(contains(second.err, holder())) << second.err;
  EXPECT_TRUE(first_->running());
  stop_host(*first_);
}

TEST_F(OneMonitor, OnceBesideAMonitorIsUnknownAndCountsNothing) {
  first_->signal(SIGSTOP);  // the monitor's own counting stands still meanwhile
  const auto before = harness_.open_ticket("a/probe/s1");
  const CommandResult once = harness_.run_once();
  const auto after = harness_.open_ticket("a/probe/s1");
  first_->signal(SIGCONT);
  EXPECT_EQ(once.exit_code, 3) << once.err;
  EXPECT_TRUE(contains(once.err, holder())) << once.err;
  // A plugin's one line on stdout says why it saw nothing.
  EXPECT_TRUE(once.out.starts_with("UNKNOWN - another monitor is using the ticket database"))
      << once.out;
  EXPECT_EQ(std::count(once.out.begin(), once.out.end(), '\n'), 1) << once.out;
  ASSERT_TRUE(before.has_value() && after.has_value());
  EXPECT_EQ(after->occurrence_count, before->occurrence_count);
  stop_host(*first_);
}

TEST_F(OneMonitor, TheCommandLineKeepsWorkingBesideIt) {
  const auto ticket = harness_.cli_ticket("probe", "s1");
  ASSERT_TRUE(ticket.has_value());
  const std::string id = std::to_string((*ticket)["id"].get<long long>());
  const CommandResult ack = harness_.run({"tickets", "ack", id});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_EQ((*harness_.cli_ticket("probe", "s1"))["status"], "acknowledged");
  stop_host(*first_);
}

TEST_F(OneMonitor, AKilledMonitorLeavesNoLockBehind) {
  first_->signal(SIGKILL);
  first_->wait(30s);
  auto next = harness_.start();
  const auto seen = harness_.open_ticket("a/probe/s1")->occurrence_count;
  EXPECT_TRUE(wait_until(
      [&] {
        const auto ticket = harness_.open_ticket("a/probe/s1");
        return ticket && ticket->occurrence_count > seen;
      },
      60s))
      << next->err();
  EXPECT_FALSE(contains(next->err(), "another monitor")) << next->err();
  stop_host(*next);
}

}  // namespace
}  // namespace opr::test
