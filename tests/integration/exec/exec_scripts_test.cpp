// sh scripts as checks through operator-host, in both protocols: what
// opens, keeps and resolves tickets, and what fails a run.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "exec_harness.h"

namespace opr::test {
namespace {

// A script that prints what harness.file("say") holds and exits with the
// status in harness.file("status"): one script, told what to do per run.
class Scripted : public ::testing::Test {
 protected:
  void SetUp() override {
    program_ =
        harness_.script("check.sh", "cat " + harness_.file("say").string() + "\nexit $(cat " +
                                        harness_.file("status").string() + ")\n");
  }
  void configure(const std::string& extra = "") {
    harness_.write_config("targets:\n" + exec_target("s", {program_}, extra));
  }
  CommandResult run(const std::string& say, int status) {
    write_file(harness_.file("say"), say);
    write_file(harness_.file("status"), std::to_string(status) + "\n");
    return harness_.run_once();
  }

  ExecHarness harness_;
  std::string program_;
};

TEST_F(Scripted, NagiosExitCodesOpenKeepAndResolveTheTicket) {
  configure();
  auto result = run("SVC CRITICAL - queue is 900 deep | depth=900;100;500;0\n", 2);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  auto ticket = harness_.open_ticket("s/status");
  ASSERT_TRUE(ticket) << result.out;
  EXPECT_EQ(ticket->message, "SVC CRITICAL - queue is 900 deep");
  EXPECT_EQ(ticket->severity, Severity::critical);
  const auto facts = nlohmann::json::parse(ticket->metric_snapshot);
  EXPECT_EQ(facts["depth"], 900);
  EXPECT_EQ(facts["depth.warn"], 100);
  EXPECT_EQ(facts["depth.min"], 0);

  // UNKNOWN: the plugin could not tell. The run fails; the ticket stays.
  result = run("SVC UNKNOWN - cannot reach the queue\n", 3);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "FAILED s/status: SVC UNKNOWN - cannot reach the queue"))
      << result.out;
  EXPECT_TRUE(harness_.open_ticket("s/status"));

  result = run("SVC OK - queue is 3 deep | depth=3;100;500;0\n", 0);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(harness_.open_ticket("s/status"));
}

TEST_F(Scripted, ExitCodesAboveThreeAndSignalsFailTheRun) {
  configure();
  auto result = run("half a thought\n", 42);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out,
                       "FAILED s/status: exited with status 42 (a plugin exits with 0 to 3): half "
                       "a thought"))
      << result.out;
  EXPECT_FALSE(harness_.open_ticket("s/status"));

  harness_.script("check.sh", "echo dying >&2\nkill -SEGV $$\n");
  result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(
      contains(result.out, "FAILED s/status: the program was killed by signal 11 (SIGSEGV): dying"))
      << result.out;
}

TEST_F(Scripted, MalformedPerfdataIsANoteOnTheTicket) {
  configure();
  const auto result = run("LOAD WARNING - high | load1=lots load5=2.5;2;4\n", 1);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto ticket = harness_.open_ticket("s/status");
  ASSERT_TRUE(ticket) << result.out;
  EXPECT_EQ(ticket->severity, Severity::warning);
  const auto facts = nlohmann::json::parse(ticket->metric_snapshot);
  EXPECT_EQ(facts["load5"], 2.5);
  EXPECT_EQ(facts["perfdata_ignored"], "'load1=lots': value 'lots' is not a number");
}

TEST_F(Scripted, LinesModeOpensAndResolvesTicketsPerSubject) {
  configure("    mode: lines\n");
  auto result = run(
      R"({"subject": "db1", "severity": "critical", "message": "db1: replication broken", "facts": {"lag_s": 930, "primary": "db0"}})"
      "\n"
      R"({"subject": "db2", "severity": "warning", "message": "db2: lag 45 s", "facts": {"lag_s": 45}})"
      "\n",
      0);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const auto db1 = harness_.open_ticket("s/status/db1");
  ASSERT_TRUE(db1) << result.out;
  EXPECT_EQ(db1->severity, Severity::critical);
  EXPECT_EQ(db1->message, "db1: replication broken");
  const auto facts = nlohmann::json::parse(db1->metric_snapshot);
  EXPECT_EQ(facts["lag_s"], 930);
  EXPECT_EQ(facts["primary"], "db0");
  const auto db2 = harness_.open_ticket("s/status/db2");
  ASSERT_TRUE(db2);
  EXPECT_EQ(db2->severity, Severity::warning);

  // db1 could not be looked at: its ticket stays as it was; db2 is well.
  result = run(R"({"unknown": "db1", "reason": "db1 did not answer"})"
               "\n",
               0);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;  // --once: a subject unknown
  EXPECT_TRUE(contains(result.out, "UNKNOWN s/status: db1: db1 did not answer")) << result.out;
  EXPECT_TRUE(harness_.open_ticket("s/status/db1"));
  EXPECT_FALSE(harness_.open_ticket("s/status/db2"));

  // Everything looked at and well: db1 resolves too.
  result = run("", 0);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(harness_.open_ticket("s/status/db1"));
}

TEST_F(Scripted, LinesModeWithoutSeverityTakesTheChecksOwn) {
  configure("    mode: lines\n    severity: critical\n");
  const auto result = run(R"({"subject": "x", "message": "x is off"})"
                          "\n",
                          0);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const auto ticket = harness_.open_ticket("s/status/x");
  ASSERT_TRUE(ticket);
  EXPECT_EQ(ticket->severity, Severity::critical);
}

TEST_F(Scripted, LinesModeABadLineOrAFailingExitFailsTheRunAndResolvesNothing) {
  configure("    mode: lines\n");
  auto result = run(R"({"subject": "db1", "message": "db1 down"})"
                    "\n",
                    0);
  ASSERT_TRUE(harness_.open_ticket("s/status/db1")) << result.out;

  result = run(R"({"subject": "db2", "message": "fine"})"
               "\nTraceback (most recent call last):\n",
               0);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "FAILED s/status: line 2 of the output: not JSON"))
      << result.out;
  EXPECT_TRUE(harness_.open_ticket("s/status/db1"));
  EXPECT_FALSE(harness_.open_ticket("s/status/db2"));

  result = run("", 1);
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "FAILED s/status: the program exited with status 1"))
      << result.out;
  EXPECT_TRUE(harness_.open_ticket("s/status/db1"));
}

TEST_F(Scripted, EnvAndWorkdirReachTheProgram) {
  const TempDir dir;
  program_ = harness_.script("env.sh", "echo \"$GREETING from $(pwd)\"; exit 1\n");
  configure("    env: [GREETING=hello]\n    workdir: " + dir.path().string() + "\n");
  const auto result = harness_.run_once();
  const auto ticket = harness_.open_ticket("s/status");
  ASSERT_TRUE(ticket) << result.out << result.err;
  EXPECT_EQ(ticket->message, "hello from " + dir.path().string());
}

}  // namespace
}  // namespace opr::test
