// --once's exit codes and summary where the worst news is mild: an info
// violation is a WARNING (exit 1), and a violation still inside its grace
// counts for the exit code though no ticket opens yet.
#include <gtest/gtest.h>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

TEST(OnceSummary, TheWorstViolationBeingInfoExitsOneWithAWarningSummary) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 info certificate renews in 20 days\n");
  write_file(harness.file("b.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a") + control_target(harness, "b"));
  const CommandResult result = harness.run_once();
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(result.out.starts_with(
      "VIOLATION a/probe: s1: certificate renews in 20 days (info)\nOK b/probe ("))
      << result.out;
  EXPECT_TRUE(
      result.out.ends_with("\nWARNING - 2 checks: 1 ok, 1 violated (1 violations), 0 failed\n"))
      << result.out;
  ASSERT_TRUE(harness.open_ticket("a/probe/s1").has_value());
  EXPECT_EQ(harness.open_ticket("a/probe/s1")->severity, Severity::info);
}

TEST(OnceSummary, AViolationInsideItsGraceCountsForTheExitCodeButOpensNothing) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 critical\n");
  harness.write_config("targets:\n" + control_target(harness, "a", ", grace: 1h"));
  const CommandResult result = harness.run_once();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(
      result.out.ends_with("\nCRITICAL - 1 checks: 0 ok, 1 violated (1 violations), 0 failed\n"))
      << result.out;
  EXPECT_TRUE(harness.tickets().empty());
}

}  // namespace
}  // namespace opr::test
