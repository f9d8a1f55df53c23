// What the results of runs become: what the ticket store is asked to
// apply, the --once reports, and the heartbeat's counts, whether or not
// the database answers.
#include "engine/run_recorder.h"

#include <gtest/gtest.h>

#include "fake_ticket_store.h"
#include "operator/plugin.h"

using namespace std::chrono_literals;

namespace opr::engine {
namespace {

using testing::FakeTicketStore;

config::CheckConfig check_config(const std::string& name) {
  config::CheckConfig check;
  check.name = name;
  check.interval = 30s;
  check.grace = 1min;
  check.severity = Severity::critical;
  check.failed_severity = Severity::warning;
  return check;
}

plugins::RunResult run_with(std::vector<std::string> subjects) {
  plugins::RunResult result;
  result.ok = true;
  result.duration = 12ms;
  for (auto& subject : subjects) {
    result.violations.push_back({subject, "store " + subject + " is down", 0, {}});
  }
  return result;
}

TEST(RunRecorder, AFailureCountsTowardItsCauseWithTheThresholdAndTheFailedSeverity) {
  FakeTicketStore store;
  RunRecorder recorder(store, nullptr);
  recorder.set_failure_threshold(5);
  const std::string target = "prod";
  const auto up = check_config("store_up");
  recorder.failure({target, up, 0}, "PD answered 500", 3ms, true, "pd:http://pd:2379");
  ASSERT_EQ(store.failures.size(), 1u);
  const auto& failed = store.failures[0];
  EXPECT_EQ(failed.target, "prod");
  EXPECT_EQ(failed.check, "store_up");
  EXPECT_EQ(failed.error, "PD answered 500");
  EXPECT_EQ(failed.cause, "pd:http://pd:2379");
  EXPECT_EQ(failed.threshold, 5);
  EXPECT_EQ(failed.severity, Severity::warning);
}

TEST(RunRecorder, ASuccessHandsTheStoreEveryViolationWithTheChecksGraceAndSeverity) {
  FakeTicketStore store;
  RunRecorder recorder(store, nullptr);
  recorder.keep_reports(true);
  const std::string target = "prod";
  const auto up = check_config("store_up");
  const TimePoint grace_ends = now_ms() + 1min;
  store.outcome.in_grace = {{"2", grace_ends}};
  auto result = run_with({"1", "2"});
  result.violations[1].severity = OP_SEVERITY_WARNING;  // the pack names its own
  recorder.success({target, up, 0}, result, "prod@2026-11-26T20:00:00Z");

  ASSERT_EQ(store.successes.size(), 1u);
  const auto& applied = store.successes[0];
  EXPECT_EQ(applied.batch_key, "prod@2026-11-26T20:00:00Z");
  EXPECT_EQ(applied.interval, 30s);
  ASSERT_EQ(applied.violations.size(), 2u);
  EXPECT_EQ(applied.violations[0].grace, 1min);

  const auto reports = recorder.take_reports();
  ASSERT_EQ(reports.size(), 1u);
  ASSERT_TRUE(reports[0].ok);
  ASSERT_EQ(reports[0].violations.size(), 2u);
  EXPECT_EQ(reports[0].violations[0].severity, Severity::critical) << "the check's severity";
  EXPECT_EQ(reports[0].violations[1].severity, Severity::warning) << "the one the pack named";
  EXPECT_FALSE(reports[0].violations[0].in_grace_until);
  EXPECT_EQ(reports[0].violations[1].in_grace_until, grace_ends);
}

TEST(RunRecorder, OnceReportsComeInConfigOrderWhateverOrderTheRunsEnded) {
  FakeTicketStore store;
  RunRecorder recorder(store, nullptr);
  recorder.keep_reports(true);
  const std::string target = "prod";
  const auto up = check_config("store_up"), disk = check_config("disk"),
             latency = check_config("latency");
  recorder.success({target, latency, 2}, run_with({}), "b");
  recorder.failure({target, up, 0}, "PD answered 500", 0ms);
  recorder.success({target, disk, 1}, run_with({"3"}), "b");
  EXPECT_EQ(recorder.report_count(), 3u);
  const auto reports = recorder.take_reports();
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0].check, "store_up");
  EXPECT_FALSE(reports[0].ok);
  EXPECT_EQ(reports[0].error, "PD answered 500");
  EXPECT_EQ(reports[1].check, "disk");
  EXPECT_EQ(reports[2].check, "latency");
}

TEST(RunRecorder, TheMonitorKeepsNoReports) {
  FakeTicketStore store;
  RunRecorder recorder(store, nullptr);
  const std::string target = "prod";
  const auto up = check_config("store_up");
  recorder.success({target, up, 0}, run_with({"1"}), "b");
  recorder.failure({target, up, 0}, "PD answered 500", 0ms);
  EXPECT_EQ(recorder.report_count(), 0u);
  EXPECT_EQ(store.successes.size(), 1u);
  EXPECT_EQ(store.failures.size(), 1u);
}

TEST(RunRecorder, TheHeartbeatCountsTheCycleThenStartsAgain) {
  FakeTicketStore store;
  store.open_tickets = 4;
  RunRecorder recorder(store, nullptr);
  const std::string target = "prod";
  const auto up = check_config("store_up"), disk = check_config("disk");
  recorder.success({target, up, 0}, run_with({"1", "2"}), "b");
  recorder.success({target, disk, 1}, run_with({}), "b");
  recorder.failure({target, up, 0}, "timed out after 10s", 10s);
  EXPECT_EQ(recorder.end_cycle(),
            "Check complete: 3 checks run, 2 violations, 1 failures, 4 open tickets");
  EXPECT_EQ(recorder.end_cycle(),
            "Check complete: 0 checks run, 0 violations, 0 failures, 4 open tickets");
}

TEST(RunRecorder, ADatabaseThatIsDownLosesNeitherTheReportNorTheCount) {
  FakeTicketStore store;
  store.down = "database is locked";
  RunRecorder recorder(store, nullptr);
  recorder.keep_reports(true);
  const std::string target = "prod";
  const auto up = check_config("store_up");
  recorder.success({target, up, 0}, run_with({"1"}), "b");
  recorder.failure({target, up, 0}, "PD answered 500", 0ms);
  EXPECT_EQ(recorder.report_count(), 2u);
  EXPECT_EQ(recorder.end_cycle(),
            "Check complete: 2 checks run, 1 violations, 1 failures, open tickets unknown");
}

}  // namespace
}  // namespace opr::engine
