// The process runner on real programs (sh): what the child gets (argv,
// environment, stdin, descriptors, a group of its own) and that nothing of
// it outlives the run, whether it exits, overruns its deadline or floods
// its output.
#include "process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "test_support.h"

namespace opr::exec {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::TempDir;

ProcessSpec shell(const std::string& script, size_t max_output = 64 * 1024) {
  ProcessSpec spec;
  spec.program = "/bin/sh";
  spec.argv = {"sh", "-c", script};
  spec.env = {"PATH=/usr/bin:/bin", "MARK=exec-test"};
  spec.max_output = max_output;
  return spec;
}

ProcessResult run(const ProcessSpec& spec, std::chrono::milliseconds deadline = 30s) {
  const auto until = Clock::now() + deadline;
  return run_process(spec, [until] { return Clock::now() >= until; });
}

// Whether `pid` is a live process (a zombie is not: it is only waiting to
// be reaped by whoever adopted it).
bool alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  if (text.empty()) return false;
  const size_t paren = text.rfind(')');
  return paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] != 'Z';
}

int read_pid(const std::filesystem::path& file) {
  int pid = 0;
  EXPECT_TRUE(test::wait_until([&] { return (std::ifstream(file) >> pid) && pid > 0; }, 10s))
      << file;
  return pid;
}

TEST(Process, ExitCodeStdoutAndStderrApart) {
  const auto result = run(shell("echo out; echo err >&2; exit 3"));
  EXPECT_EQ(result.end, ProcessResult::End::exited);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
  EXPECT_EQ(describe_end(result), "exited with status 3");
}

TEST(Process, ArgumentsReachTheProgramAsTheyAreWithNoShell) {
  ProcessSpec spec;
  spec.program = "/usr/bin/printf";
  spec.argv = {"printf", "[%s]", "$HOME", "a b", "*", "; rm -rf /"};
  const auto result = run(spec);
  EXPECT_EQ(result.out, "[$HOME][a b][*][; rm -rf /]");
}

TEST(Process, TheEnvironmentIsExactlyTheOneGiven) {
  test::ScopedEnv secret("OPERATOR_TEST_SECRET", "s3cret");
  const auto result = run(shell("env | sort"));
  EXPECT_TRUE(test::contains(result.out, "MARK=exec-test\n")) << result.out;
  EXPECT_FALSE(test::contains(result.out, "s3cret")) << result.out;
}

TEST(Process, WorkdirIsWhereItRuns) {
  TempDir dir;
  auto spec = shell("pwd");
  spec.workdir = dir.path().string();
  EXPECT_EQ(run(spec).out, dir.path().string() + "\n");
}

TEST(Process, StdinIsDevNullAndNoDescriptorIsInherited) {
  // A descriptor this process holds without CLOEXEC, as a careless library would.
  const int leaked = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leaked, 3);
  const auto result = run(shell("readlink /proc/$$/fd/0; [ -e /proc/$$/fd/" +
                                std::to_string(leaked) + " ] && echo leaked || echo closed"));
  ::close(leaked);
  EXPECT_EQ(result.out, "/dev/null\nclosed\n");
}

TEST(Process, ItRunsInAProcessGroupOfItsOwn) {
  const auto result = run(shell("echo $$ $(cut -d' ' -f5 /proc/$$/stat)"));
  std::istringstream words(result.out);
  int pid = 0, group = 0;
  words >> pid >> group;
  EXPECT_GT(pid, 0);
  EXPECT_EQ(pid, group) << result.out;
  EXPECT_NE(group, ::getpgrp());
}

TEST(Process, SignalsAreAtTheirDefaultsInTheChild) {
  // The runner ignores SIGTERM; its programs must not inherit that.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old {};
  ::sigaction(SIGTERM, &ignore, &old);
  const auto result = run(shell("kill -TERM $$; sleep 5"));
  ::sigaction(SIGTERM, &old, nullptr);
  EXPECT_EQ(result.end, ProcessResult::End::signaled);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_EQ(describe_end(result), "was killed by signal 15 (SIGTERM)");
}

TEST(Process, AMissingProgramDoesNotStart) {
  ProcessSpec spec;
  spec.program = "/nonexistent/check_x";
  spec.argv = {"check_x"};
  const auto result = run(spec);
  EXPECT_EQ(result.end, ProcessResult::End::not_started);
  EXPECT_EQ(result.error, "cannot run /nonexistent/check_x: No such file or directory");
}

TEST(Process, AtTheDeadlineTheWholeGroupIsKilled) {
  TempDir dir;
  const auto pidfile = dir / "child.pid";
  const auto started = Clock::now();
  // The child ignores SIGTERM: it gets SIGKILL after the grace.
  const auto result = run(
      shell("sh -c 'trap \"\" TERM; echo $$ > " + pidfile.string() + "; exec sleep 60' & sleep 60"),
      500ms);
  EXPECT_EQ(result.end, ProcessResult::End::cancelled);
  EXPECT_LT(Clock::now() - started, 5s);
  const int child = read_pid(pidfile);
  EXPECT_TRUE(test::wait_until([&] { return !alive(child); }, 5s)) << "child " << child;
}

TEST(Process, AChildLeftBehindByAProgramThatExitedIsKilled) {
  TempDir dir;
  const auto pidfile = dir / "child.pid";
  const auto started = Clock::now();
  // The child keeps stdout open: the run must not wait for its end of file.
  const auto result =
      run(shell("sleep 60 & echo $! > " + pidfile.string() + "; echo done; exit 0"), 30s);
  EXPECT_EQ(result.end, ProcessResult::End::exited);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "done\n");
  EXPECT_LT(Clock::now() - started, 5s);
  const int child = read_pid(pidfile);
  EXPECT_TRUE(test::wait_until([&] { return !alive(child); }, 5s)) << "child " << child;
}

TEST(Process, OutputPastTheCapStopsTheProgram) {
  const auto started = Clock::now();
  const auto result = run(shell("yes 0123456789abcdef", 4096), 30s);
  EXPECT_EQ(result.end, ProcessResult::End::output_too_large);
  EXPECT_LE(result.out.size() + result.err.size(), 4096u);
  EXPECT_LT(Clock::now() - started, 10s);
}

TEST(Process, StderrCountsTowardTheCapToo) {
  const auto result = run(shell("head -c 3000 /dev/zero; head -c 3000 /dev/zero >&2", 4096));
  EXPECT_EQ(result.end, ProcessResult::End::output_too_large);
}

TEST(Process, OutputUpToTheCapIsKeptWhole) {
  const auto result = run(shell("head -c 4096 /dev/zero | tr '\\0' x", 4096));
  EXPECT_EQ(result.end, ProcessResult::End::exited);
  EXPECT_EQ(result.out, std::string(4096, 'x'));
}

}  // namespace
}  // namespace opr::exec
