// The host enforces plugin.h's rules instead of guessing: a pack that hands
// it a NULL where the header forbids one (the control test pack's `break`
// command) gets a failed run that names the pack and the rule, through the
// real host, and the monitor logs it once per instance, not at every run.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

struct BrokenRule {
  std::string command;  // the control pack's `break` rule
  std::string message;  // what the failed run says
};

std::ostream& operator<<(std::ostream& out, const BrokenRule& r) { return out << r.command; }

class AbiRule : public ::testing::TestWithParam<BrokenRule> {};

TEST_P(AbiRule, FailsTheRunNamingThePackAndTheRule) {
  HostHarness harness;
  write_file(harness.file("c.cmd"), "break " + GetParam().command + "\n");
  harness.write_config("targets:\n" + control_target(harness, "c", ""));
  const auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(
      contains(result.out, "FAILED c/probe: pack 'control' broke the ABI: " + GetParam().message))
      << result.out;
  // Nothing the run reported is kept as a violation.
  EXPECT_FALSE(contains(result.out, "VIOLATION")) << result.out;
}

INSTANTIATE_TEST_SUITE_P(
    NullPointers, AbiRule,
    ::testing::Values(
        BrokenRule{"null_subject",
                   "run_report: op_violation.subject must not be NULL (\"\" is the target)"},
        BrokenRule{"null_message", "run_report: op_violation.message must not be NULL"},
        BrokenRule{"null_fact_key", "run_report: a fact's key must not be NULL"},
        BrokenRule{"null_fact_value", "run_report: a fact's value must not be NULL"},
        BrokenRule{"null_fact", "run_fact was called with a NULL op_fact"},
        BrokenRule{"null_run_fact_key", "run_fact: the fact's key must not be NULL"},
        BrokenRule{"null_fail_message", "run_fail was called with a NULL message"}),
    [](const auto& info) { return info.param.command; });

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// Every run fails (and says so), but the broken rule is explained once per
// instance; a second rule broken later is explained once too.
TEST(AbiRuleLog, EachBrokenRuleIsLoggedOncePerInstance) {
  HostHarness harness;
  const auto command = harness.file("c.cmd");
  write_file(command, "break null_message\n");
  harness.write_config("defaults: {failure_threshold: 100}\ntargets:\n" +
                       control_target(harness, "c"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return contains(host->err(), "failed (3 in a row)"); }, 20s))
      << host->err();
  const std::string explained =
      "pack 'control' broke the ABI: run_report: op_violation.message must not be NULL (target "
      "'c'); each run that does so fails, logged once per instance";
  EXPECT_EQ(count_of(host->err(), explained), 1u) << host->err();

  write_file(command, "break null_subject\n");
  ASSERT_TRUE(wait_until(
      [&] { return count_of(host->err(), "op_violation.subject must not be NULL") >= 3; }, 20s))
      << host->err();
  EXPECT_EQ(count_of(host->err(), "logged once per instance"), 2u) << host->err();
  EXPECT_EQ(count_of(host->err(), explained), 1u) << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0);
}

}  // namespace
}  // namespace opr::test
