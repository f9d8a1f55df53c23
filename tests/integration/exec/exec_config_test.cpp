// A program that cannot run is a config error, found by `config check` at
// the line that names it (and when the monitor starts), not a failed run at
// 3 a.m.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "exec_harness.h"

namespace opr::test {
namespace {

// `config check` of `target_lines` (the config's line 3 is "targets:", the
// target's name line 4, its pack line 5, its command line 6).
CommandResult config_check(const ExecHarness& harness, const std::string& target_lines) {
  harness.write_config("targets:\n" + target_lines);
  return harness.run({"config", "check"});
}

std::string refusal(const ExecHarness& harness, int line, int column, const std::string& why) {
  return harness.config_path().string() + ":" + std::to_string(line) + ":" +
         std::to_string(column) +
         ": pack 'exec' could not create an instance for target 'x': " + why;
}

TEST(ExecConfig, AValidTargetPassesAndListsItsCheck) {
  ExecHarness harness;
  const auto result = config_check(harness, exec_target("x", {"/bin/true"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "x       status")) << result.out;
}

TEST(ExecConfig, AMissingProgramIsRefusedAtItsLine) {
  ExecHarness harness;
  const auto result = config_check(harness, exec_target("x", {"/nonexistent/check_foo", "-v"}));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(
      contains(result.err, refusal(harness, 6, 14,
                                   "command: cannot run '/nonexistent/check_foo': No such file or "
                                   "directory")))
      << result.err;
}

TEST(ExecConfig, AProgramThatIsNotExecutableIsRefused) {
  ExecHarness harness;
  const std::string program = harness.script("check.sh", "exit 0\n");
  ::chmod(program.c_str(), 0644);
  const auto result = config_check(harness, exec_target("x", {program}));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(contains(
      result.err,
      refusal(harness, 6, 14, "command: cannot run '" + program + "': it is not executable")))
      << result.err;
}

TEST(ExecConfig, ANameNotInPathAndAnEmptyCommandAreRefused) {
  ExecHarness harness;
  auto result = config_check(harness, exec_target("x", {"check_nothing_by_this_name"}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(contains(result.err,
                       "command: program 'check_nothing_by_this_name' is not found in "
                       "PATH"))
      << result.err;
  result = config_check(harness, "  - name: x\n    pack: exec\n    command: []\n");
  EXPECT_EQ(result.exit_code, 1);
  // A required list must hold an item: the config says so, at the value.
  EXPECT_TRUE(contains(result.err, "operator.yaml:6:14: required parameter 'command'"))
      << result.err;
  EXPECT_TRUE(contains(result.err, "is empty: pack 'exec' needs at least one item")) << result.err;
}

TEST(ExecConfig, ModeEnvAndWorkdirAreRefusedAtTheirLines) {
  ExecHarness harness;
  auto result = config_check(harness, exec_target("x", {"/bin/true"}, "    mode: json\n"));
  EXPECT_TRUE(contains(result.err, refusal(harness, 7, 11, "mode 'json' is not a protocol")))
      << result.err;
  result = config_check(harness, exec_target("x", {"/bin/true"}, "    env: [NOEQUALS]\n"));
  EXPECT_TRUE(
      contains(result.err, refusal(harness, 7, 10, "env entry 'NOEQUALS' is not NAME=value")))
      << result.err;
  result = config_check(harness, exec_target("x", {"/bin/true"}, "    workdir: /nonexistent\n"));
  EXPECT_TRUE(
      contains(result.err, refusal(harness, 7, 14, "workdir '/nonexistent' cannot be used")))
      << result.err;
}

TEST(ExecConfig, AMonitorStartedAnywayFailsTheRunsNamingTheProgram) {
  ExecHarness harness;
  harness.write_config("targets:\n" + exec_target("x", {"/nonexistent/check_foo"}));
  const auto result = harness.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out,
                       "FAILED x/status: could not create the pack instance: pack 'exec' could "
                       "not create an instance for target 'x': command: cannot run "
                       "'/nonexistent/check_foo': No such file or directory"))
      << result.out;
}

}  // namespace
}  // namespace opr::test
