// What a program leaves behind through operator-host, in a runner process
// (the default isolation) and inside the host: a child forked by a program
// that overruns its timeout dies with it, and so does the child of one
// that exits; a flood of output is cut off and fails the run.
#include <gtest/gtest.h>

#include "exec_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

class Hygiene : public ::testing::TestWithParam<std::string> {
 protected:
  // Target `t` running `body`, with this test's isolation and `extra` lines.
  void configure(const std::string& body, const std::string& extra = "") {
    const std::string program = harness_.script("prog.sh", body);
    harness_.write_config(
        "targets:\n" + exec_target("t", {program}, "    isolation: " + GetParam() + "\n" + extra));
  }

  // Script lines that start a child holding stdout open, and write its pid
  // where expect_child_gone() reads it.
  std::string fork_child() const {
    return "sleep 300 &\necho $! > " + harness_.file("child.pid").string() + "\n";
  }
  void expect_child_gone() const {
    const int child = read_pid(harness_.file("child.pid"));
    ASSERT_GT(child, 0) << "the program wrote no pid";
    EXPECT_TRUE(wait_until([&] { return !alive(child); }, 10s)) << "child " << child << " lives";
  }

  ExecHarness harness_;
};

TEST_P(Hygiene, AForkedChildIsKilledAtTheTimeout) {
  configure(fork_child() + "sleep 300\n", "    timeout: 1s\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "FAILED t/status: timed out")) << result.out;
  expect_child_gone();
}

TEST_P(Hygiene, TheChildOfAProgramThatExitedDoesNotOutliveTheRun) {
  configure(fork_child() + "echo 'OK - forked'\nexit 0\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "OK t/status")) << result.out;
  expect_child_gone();
}

TEST_P(Hygiene, HugeOutputFailsTheRunSayingSo) {
  configure("yes 'all work and no play'\n", "    max_output_bytes: 4096\n");
  const auto result = harness_.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_TRUE(contains(result.out,
                       "FAILED t/status: the program wrote more than 4096 bytes to stdout and "
                       "stderr (max_output_bytes); it was stopped"))
      << result.out;
}

INSTANTIATE_TEST_SUITE_P(Isolation, Hygiene, ::testing::Values("process", "in_process"));

}  // namespace
}  // namespace opr::test
