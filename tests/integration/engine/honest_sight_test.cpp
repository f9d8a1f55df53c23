// What no check could see is never read as health: a subject a run could not
// evaluate keeps its ticket as it was (marked unknown after an interval) and
// resolves only after a run that saw it well; failures in a row are counted
// in the database, so restarts and --once runs reach the threshold too.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

class HonestSight : public ::testing::Test {
 protected:
  void write_config(const std::string& defaults = "{failure_threshold: 3}",
                    const std::string& probe = "", const std::string& interval = "100ms") {
    harness_.write_config("defaults: " + defaults +
                          "\n"
                          "targets:\n"
                          "  - name: ctl\n"
                          "    pack: control\n"
                          "    checks:\n"
                          "      probe: {interval: " +
                          interval + ", command_file: " + command_.string() +
                          ", log_file: " + log_.string() + probe + "}\n");
  }
  int runs() const { return count_lines(log_, "probe end"); }

  HostHarness harness_;
  const std::filesystem::path command_ = harness_.file("command");
  const std::filesystem::path log_ = harness_.file("runs.log");
};

TEST_F(HonestSight, AnUnknownSubjectKeepsItsTicketOpenAndMarkedUntilSeenHealthy) {
  write_file(command_, "violate 3 warning store 3 disk 95%\n");
  write_config();
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return harness_.open_ticket("ctl/probe/3").has_value(); }, 30s))
      << host->err();
  const auto opened = *harness_.open_ticket("ctl/probe/3");

  // The store goes dark: three runs later its ticket is still open, not seen
  // again, and marked unknown with the reason. The run under way at the
  // switch may have read the old command; from the second one on, every run
  // reads the new one (and the one before it was recorded).
  write_file(command_, "unknown 3 store 3 is Disconnected\n");
  const int before = runs();
  ASSERT_TRUE(wait_until([&] { return runs() >= before + 2; }, 30s)) << host->err();
  const auto dark = harness_.open_ticket("ctl/probe/3");
  ASSERT_TRUE(dark.has_value()) << "an unseen subject was resolved\n" << host->err();
  ASSERT_TRUE(wait_until([&] { return runs() >= before + 5; }, 30s)) << host->err();
  auto kept = harness_.open_ticket("ctl/probe/3");
  ASSERT_TRUE(kept.has_value()) << "an unseen subject was resolved\n" << host->err();
  EXPECT_EQ(kept->id, opened.id);
  EXPECT_EQ(kept->occurrence_count, dark->occurrence_count)
      << "unknown runs do not count as sightings";
  ASSERT_TRUE(wait_until([&] { return harness_.open_ticket("ctl/probe/3")->unknown; }, 30s));
  kept = harness_.open_ticket("ctl/probe/3");
  EXPECT_EQ(kept->unknown_reason, "store 3 is Disconnected");
  EXPECT_TRUE(kept->unknown_since.has_value());

  // `tickets show` says so.
  const auto shown = harness_.run({"tickets", "show", std::to_string(opened.id), "--json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto json = nlohmann::json::parse(shown.out);
  EXPECT_EQ(json["unknown"], true);
  EXPECT_EQ(json["unknown_reason"], "store 3 is Disconnected");

  // Seen again, and healthy: now it resolves.
  write_file(command_, "ok\n");
  ASSERT_TRUE(wait_until([&] { return !harness_.open_ticket("ctl/probe/3").has_value(); }, 30s))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

TEST_F(HonestSight, OnceSaysUnknownNotOkWhenASubjectCouldNotBeSeen) {
  write_file(command_, "unknown 3 store 3 is Disconnected\n");
  write_config();
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.out.find("UNKNOWN ctl/probe: 3: store 3 is Disconnected"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("OK ctl/probe"), std::string::npos) << result.out;
  EXPECT_TRUE(result.out.starts_with("UNKNOWN - 1 unknown | ")) << result.out;

  // A violation elsewhere decides the exit code; the blind spot is still listed.
  write_file(command_, "unknown 3 store 3 is Disconnected\nviolate 1 critical store 1 is Down\n");
  const auto both = harness_.run_once();
  EXPECT_EQ(both.exit_code, 2) << both.out << both.err;
  EXPECT_NE(both.out.find("UNKNOWN ctl/probe: 3: store 3 is Disconnected"), std::string::npos)
      << both.out;
}

// Three --once runs that fail reach a threshold of 3 exactly as a monitor
// would: the count lives in the database, not in one process.
TEST_F(HonestSight, FailuresInARowAreCountedAcrossOnceRuns) {
  write_file(command_, "fail PD unreachable\n");
  write_config();
  for (int run = 1; run <= 2; ++run) {
    const auto result = harness_.run_once();
    EXPECT_EQ(result.exit_code, 3) << result.out;
    EXPECT_FALSE(harness_.open_ticket("ctl/probe:failed")) << "opened after " << run << " runs";
  }
  const auto third = harness_.run_once();
  EXPECT_EQ(third.exit_code, 3) << third.out;
  const auto failed = harness_.open_ticket("ctl/probe:failed");
  ASSERT_TRUE(failed.has_value()) << third.err;
  EXPECT_EQ(failed->message, "PD unreachable");
  EXPECT_EQ(nlohmann::json::parse(failed->metric_snapshot)["consecutive_failures"], 3);
  EXPECT_EQ(failed->severity, Severity::warning) << "the check's own severity";

  // One success ends the streak: the next failure is the first again.
  write_file(command_, "ok\n");
  EXPECT_EQ(harness_.run_once().exit_code, 0);
  EXPECT_FALSE(harness_.open_ticket("ctl/probe:failed"));
  write_file(command_, "fail PD unreachable\n");
  harness_.run_once();
  harness_.run_once();
  EXPECT_FALSE(harness_.open_ticket("ctl/probe:failed"));
}

TEST_F(HonestSight, FailuresInARowSurviveARestart) {
  write_file(command_, "fail PD unreachable\n");
  write_config("{failure_threshold: 4}", "", "1h");
  // Each start runs the check once at once (first of one check), then not
  // for an hour: only restarts can add failures.
  for (int start = 1; start <= 3; ++start) {
    auto host = harness_.start();
    ASSERT_TRUE(wait_until([&] { return runs() >= start; }, 30s)) << host->err();
    ASSERT_TRUE(host->wait_for_output("failed (" + std::to_string(start) + " in a row)", 30s))
        << host->err();
    host->signal(SIGTERM);
    ASSERT_EQ(host->wait(20s), 0) << host->err();
    EXPECT_FALSE(harness_.open_ticket("ctl/probe:failed"));
  }
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return harness_.open_ticket("ctl/probe:failed").has_value(); }, 30s))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

TEST_F(HonestSight, AFailedTicketTakesFailedSeverityWhenSet) {
  write_file(command_, "fail PD unreachable\n");
  write_config("{failure_threshold: 1, failed_severity: critical}", ", severity: info");
  EXPECT_EQ(harness_.run_once().exit_code, 3);
  const auto failed = harness_.open_ticket("ctl/probe:failed");
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->severity, Severity::critical);
}

}  // namespace
}  // namespace opr::test
