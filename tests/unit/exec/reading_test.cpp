// Both protocols on a program's end and output: what opens a violation,
// what fails the run (and says why), what is an unknown subject.
#include "reading.h"

#include <gtest/gtest.h>

#include <string>

namespace opr::exec {
namespace {

ProcessResult exited(int code, std::string out, std::string err = "") {
  ProcessResult result;
  result.end = ProcessResult::End::exited;
  result.exit_code = code;
  result.out = std::move(out);
  result.err = std::move(err);
  return result;
}

std::string fact(const std::vector<Fact>& facts, const std::string& key) {
  for (const auto& f : facts) {
    if (f.key == key) return f.value;
  }
  return "(none)";
}

// A finding as "subject|level|message", to compare in one line.
std::string summary(const Finding& finding) {
  return finding.subject + "|" + std::to_string(static_cast<int>(finding.level)) + "|" +
         finding.message;
}

TEST(Nagios, ExitZeroIsHealthyWithItsPerfdataAsRunFacts) {
  const Outcome o = read_nagios(0, "TCP OK - 0.001 second response time|time=0.001s;;;0;10\n", "");
  EXPECT_TRUE(o.failure.empty());
  EXPECT_TRUE(o.findings.empty());
  EXPECT_EQ(fact(o.run_facts, "time"), "0.001");
  EXPECT_EQ(fact(o.run_facts, "time.unit"), "s");
}

TEST(Nagios, ExitOneAndTwoAreViolationsOfThatSeverityWithTheFirstLine) {
  const Outcome warning = read_nagios(1, "DISK WARNING - free space: / 10%| '/'=90%;80;95\n", "");
  ASSERT_EQ(warning.findings.size(), 1u);
  EXPECT_EQ(summary(warning.findings[0]), "|2|DISK WARNING - free space: / 10%");
  EXPECT_EQ(fact(warning.findings[0].facts, "/"), "90");
  EXPECT_EQ(fact(warning.findings[0].facts, "/.crit"), "95");
  EXPECT_EQ(fact(warning.findings[0].facts, "exit_code"), "1");

  const Outcome critical = read_nagios(2, "connect to 127.0.0.1:9 failed\n", "");
  ASSERT_EQ(critical.findings.size(), 1u);
  EXPECT_EQ(critical.findings[0].level, Level::kCritical);
  EXPECT_EQ(critical.findings[0].message, "connect to 127.0.0.1:9 failed");
}

TEST(Nagios, LongTextAndPerfdataOnLaterLines) {
  // The guidelines' multi-line form: long text until a '|', perfdata after.
  const Outcome o = read_nagios(
      2,
      "DISK CRITICAL | /=2643MB;5948;5958;0;5968\n/ 15272 MB (77%);\n/boot 68 MB (69%);\n"
      "/home 69357 MB (27%); | /boot=68MB;88;93;0;98\n/home=69357MB;253404;253409;0;253414\n",
      "");
  ASSERT_EQ(o.findings.size(), 1u);
  const auto& facts = o.findings[0].facts;
  EXPECT_EQ(o.findings[0].message, "DISK CRITICAL");
  EXPECT_EQ(fact(facts, "/"), "2643");
  EXPECT_EQ(fact(facts, "/boot"), "68");
  EXPECT_EQ(fact(facts, "/home.max"), "253414");
  EXPECT_EQ(fact(facts, "long_output"),
            "/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);");
}

TEST(Nagios, UnknownFailsTheRunWithItsMessage) {
  const Outcome o = read_nagios(3, "check_x: Could not parse arguments\n", "");
  EXPECT_EQ(o.failure, "check_x: Could not parse arguments");
  EXPECT_TRUE(o.findings.empty());
}

TEST(Nagios, ExitAboveThreeFailsTheRunNamingTheStatus) {
  EXPECT_EQ(read_nagios(127, "", "sh: 1: nope: not found\n").failure,
            "exited with status 127 (a plugin exits with 0 to 3): sh: 1: nope: not found");
  EXPECT_EQ(read_nagios(4, "weird\n", "").failure,
            "exited with status 4 (a plugin exits with 0 to 3): weird");
}

TEST(Nagios, NoOutputStillGivesAMessage) {
  EXPECT_EQ(read_nagios(2, "", "").findings.at(0).message, "CRITICAL (exit 2) with no output");
  EXPECT_EQ(read_nagios(3, "", "oops\n").failure, "UNKNOWN (exit 3) with no output: oops");
}

TEST(Nagios, MalformedPerfdataIsANoteNotAFailure) {
  const Outcome o = read_nagios(1, "LOAD WARNING | load1=abc load5=1.5;2;3\n", "");
  ASSERT_EQ(o.findings.size(), 1u);
  EXPECT_EQ(fact(o.findings[0].facts, "load5"), "1.5");
  EXPECT_EQ(fact(o.findings[0].facts, "perfdata_ignored"),
            "'load1=abc': value 'abc' is not a number");
}

TEST(ReadRun, RunsThatDidNotEndByThemselvesFailSayingHow) {
  ProcessResult cancelled;
  cancelled.end = ProcessResult::End::cancelled;
  EXPECT_NE(read_run(Mode::kNagios, cancelled, 1024).failure.find("timed out"), std::string::npos);
  ProcessResult big;
  big.end = ProcessResult::End::output_too_large;
  EXPECT_EQ(read_run(Mode::kLines, big, 65536).failure,
            "the program wrote more than 65536 bytes to stdout and stderr (max_output_bytes); it "
            "was stopped");
  ProcessResult killed;
  killed.end = ProcessResult::End::signaled;
  killed.signal = 9;
  killed.err = "partial\n";
  EXPECT_EQ(read_run(Mode::kNagios, killed, 1024).failure,
            "the program was killed by signal 9 (SIGKILL): partial");
  ProcessResult not_started;
  not_started.error = "cannot run /x: No such file or directory";
  EXPECT_EQ(read_run(Mode::kNagios, not_started, 1024).failure, not_started.error);
}

TEST(ReadRun, LinesModeFailsOnANonZeroExit) {
  EXPECT_EQ(
      read_run(Mode::kLines, exited(1, "{\"subject\":\"a\",\"message\":\"m\"}\n", "boom\n"), 1024)
          .failure,
      "the program exited with status 1: boom");
}

TEST(Lines, ViolationsAndUnknownSubjects) {
  const Outcome o = read_lines(
      "{\"subject\": \"db1\", \"severity\": \"critical\", \"message\": \"db1 is down\", "
      "\"facts\": {\"lag\": 12.5, \"count\": 3, \"big\": 18446744073709551615, \"host\": \"h1\", "
      "\"primary\": true}}\n"
      "\n"
      "{\"subject\": \"db2\", \"message\": \"db2 is slow\"}\r\n"
      "{\"unknown\": \"db3\", \"reason\": \"no answer\"}\n");
  EXPECT_EQ(o.failure, "");
  ASSERT_EQ(o.findings.size(), 2u);
  EXPECT_EQ(summary(o.findings[0]), "db1|3|db1 is down");
  EXPECT_EQ(fact(o.findings[0].facts, "lag"), "12.5");
  EXPECT_EQ(fact(o.findings[0].facts, "count"), "3");
  EXPECT_EQ(fact(o.findings[0].facts, "big"), "18446744073709551615");
  EXPECT_EQ(fact(o.findings[0].facts, "host"), "h1");
  EXPECT_EQ(fact(o.findings[0].facts, "primary"), "true");
  EXPECT_EQ(summary(o.findings[1]), "db2|0|db2 is slow");
  ASSERT_EQ(o.unknown.size(), 1u);
  EXPECT_EQ(o.unknown[0].subject, "db3");
  EXPECT_EQ(o.unknown[0].reason, "no answer");
}

TEST(Lines, NoLinesIsHealthy) {
  const Outcome o = read_lines("");
  EXPECT_EQ(o.failure, "");
  EXPECT_TRUE(o.findings.empty());
}

TEST(Lines, ABadLineFailsTheRunNamingItsNumber) {
  const std::string good = "{\"subject\": \"a\", \"message\": \"m\"}\n";
  auto failure = [&](const std::string& bad) { return read_lines(good + bad + "\n").failure; };
  EXPECT_EQ(failure("db1 is down").rfind("line 2 of the output: not JSON (", 0), 0u)
      << failure("db1 is down");
  EXPECT_EQ(failure("[1, 2]").rfind("line 2 of the output: not a JSON object", 0), 0u);
  EXPECT_EQ(failure("{\"subject\": \"a\", \"mesage\": \"m\"}")
                .rfind("line 2 of the output: unknown key \"mesage\" (a line is", 0),
            0u);
  EXPECT_EQ(failure("{\"subject\": \"a\"}"),
            "line 2 of the output: \"message\" is missing: say what is wrong");
  EXPECT_EQ(
      failure("{\"message\": \"m\"}").rfind("line 2 of the output: \"subject\" is missing", 0), 0u);
  EXPECT_EQ(failure("{\"subject\": 7, \"message\": \"m\"}"),
            "line 2 of the output: \"subject\" is not a string");
  EXPECT_EQ(failure("{\"subject\": \"a\", \"message\": \"m\", \"severity\": \"fatal\"}"),
            "line 2 of the output: \"severity\" is 'fatal'; write info, warning or critical (or "
            "leave it out for the check's own)");
  EXPECT_EQ(failure("{\"subject\": \"a\", \"message\": \"m\", \"facts\": {\"x\": [1]}}"),
            "line 2 of the output: fact \"x\" is not a string, a number or a boolean");
  EXPECT_EQ(failure("{\"unknown\": \"a\"}"),
            "line 2 of the output: \"reason\" is missing: say why it could not be evaluated");
  EXPECT_EQ(failure("{\"unknown\": \"a\", \"reason\": \"r\", \"x\": 1}")
                .rfind("line 2 of the output: unknown key \"x\"", 0),
            0u);
}

TEST(Lines, AFailedRunReportsNothing) {
  const Outcome o = read_lines("{\"subject\": \"a\", \"message\": \"m\"}\nnot json\n");
  EXPECT_FALSE(o.failure.empty());
  EXPECT_TRUE(o.findings.empty());
}

}  // namespace
}  // namespace opr::exec
