// operator-host --once: one cycle, tickets written like a normal cycle, a
// summary on stdout, and exit codes like a monitoring plugin.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <sstream>

#include "host_harness.h"

namespace opr::test {
namespace {

class Once : public ::testing::Test {
 protected:
  // Two targets of the control pack, each told what to do; `a_settings`
  // are lines of target a's own (e.g. "    timeout: 300ms\n").
  CommandResult run(const std::string& first, const std::string& second,
                    const std::string& extra_config = "", const std::string& a_settings = "") {
    write_file(harness_.file("a.cmd"), first);
    write_file(harness_.file("b.cmd"), second);
    harness_.write_config(extra_config +
                          "targets:\n"
                          "  - name: a\n"
                          "    pack: control\n" +
                          a_settings +
                          "    checks:\n"
                          "      probe: {command_file: " +
                          harness_.file("a.cmd").string() +
                          "}\n"
                          "  - name: b\n"
                          "    pack: control\n"
                          "    checks:\n"
                          "      probe: {command_file: " +
                          harness_.file("b.cmd").string() + "}\n");
    return harness_.run_once();
  }

  HostHarness harness_;
};

TEST_F(Once, AllPassingExitsZero) {
  const auto result = run("ok\n", "ok\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("OK a/probe ("), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("OK b/probe ("), std::string::npos) << result.out;
  EXPECT_NE(
      result.err.find("Check complete: 2 checks run, 0 violations, 0 failures, 0 open tickets"),
      std::string::npos)
      << result.err;
}

TEST_F(Once, WorstWarningExitsOneAndOpensTickets) {
  const auto result = run("violate s1 warning disk almost full\n", "ok\n");
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.out.find("VIOLATION a/probe: s1: disk almost full"), std::string::npos)
      << result.out;
  const auto tickets = harness_.tickets_with_key("a/probe/s1");
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets.front().severity, Severity::warning);
  EXPECT_EQ(tickets.front().batch_key.rfind("a@", 0), 0u) << tickets.front().batch_key;
  const auto snapshot = nlohmann::json::parse(tickets.front().metric_snapshot);
  EXPECT_EQ(snapshot["source"], "control");
  EXPECT_TRUE(snapshot["ratio"].is_number());
}

TEST_F(Once, WorstCriticalExitsTwo) {
  const auto result = run("violate s1 warning\n", "violate - critical cluster down\n");
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.out.find("VIOLATION b/probe: cluster down"), std::string::npos) << result.out;
}

TEST_F(Once, TheConfiguredSeverityAppliesWhenThePackGivesNone) {
  write_file(harness_.file("c.cmd"), "violate s9 default\n");
  harness_.write_config(
      "targets:\n  - name: c\n    pack: control\n    severity: critical\n"
      "    checks:\n      probe: {command_file: " +
      harness_.file("c.cmd").string() + "}\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const auto tickets = harness_.tickets_with_key("c/probe/s9");
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets.front().severity, Severity::critical);
}

TEST_F(Once, ADisabledCheckDoesNotRun) {
  harness_.write_config(
      "targets:\n  - name: c\n    pack: control\n    checks:\n"
      "      probe: {enabled: false, command_file: /nonexistent}\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out.find("c/probe"), std::string::npos) << result.out;
}

TEST_F(Once, AFailedCheckExitsThreeEvenWithViolations) {
  const auto result = run("fail endpoint down\n", "violate s1 critical\n");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("FAILED a/probe: endpoint down"), std::string::npos) << result.out;
}

TEST_F(Once, AThrowingCheckIsAFailedCheck) {
  const auto result = run("throw\n", "ok\n");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("FAILED a/probe: control: told to throw"), std::string::npos)
      << result.out;
}

TEST_F(Once, AHungCheckTimesOutAndTheRestStillRuns) {
  // Stuck until the test ends; the short timeout is a's alone, so b, healthy,
  // has the default timeout however slow the machine.
  const FileGate release(harness_.file("release"));
  const auto result =
      run("block_until " + release.path().string() + "\n", "ok\n", "", "    timeout: 300ms\n");
  EXPECT_EQ(result.exit_code, 3) << result.err;
  EXPECT_NE(result.out.find("FAILED a/probe: timed out after 300ms"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("OK b/probe"), std::string::npos) << result.out;
}

TEST_F(Once, AFailedCheckReachesItsFailedTicketAtTheThreshold) {
  const auto result = run("fail no data\n", "ok\n", "defaults: {failure_threshold: 1}\n");
  EXPECT_EQ(result.exit_code, 3);
  const auto tickets = harness_.tickets_with_key("a/probe:failed");
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets.front().message, "no data");
}

TEST_F(Once, JsonLogsAreOneObjectPerLine) {
  const auto result = run("ok\n", "ok\n", "log: {format: json}\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.err);
  int parsed = 0;
  bool heartbeat = false;
  for (std::string line; std::getline(lines, line);) {
    const auto json = nlohmann::json::parse(line);  // throws on a non-JSON line
    EXPECT_TRUE(json.contains("time"));
    EXPECT_TRUE(json.contains("level"));
    heartbeat |=
        json["message"] == "Check complete: 2 checks run, 0 violations, 0 failures, 0 open tickets";
    ++parsed;
  }
  EXPECT_GT(parsed, 0);
  EXPECT_TRUE(heartbeat) << result.err;
}

TEST(OncePacks, APackOfAnotherAbiMajorIsLoggedWithItsFixItAndTheRestRuns) {
  HostHarness harness({fixture_pack("control"), fixture_pack("abi_major")});
  write_file(harness.file("a.cmd"), "ok\n");
  harness.write_config(
      "targets:\n  - name: a\n    pack: control\n    checks:\n      probe: {command_file: " +
      harness.file("a.cmd").string() + "}\n");
  const auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.err.find("pack not loaded: " +
                            abi_major_refusal(harness.dir() / "packs" / "abi_major.so")),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("OK a/probe"), std::string::npos) << result.out;
}

TEST_F(Once, ABrokenConfigExitsUnknownWithItsPosition) {
  harness_.write_config("targets:\n  - name: a\n    pack: nosuchpack\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3);
  // Line 5 of the file (the harness writes two lines first), column 11.
  EXPECT_NE(result.err.find(harness_.config_path().string() +
                            ":5:11: unknown pack 'nosuchpack' in target 'a'"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace opr::test
