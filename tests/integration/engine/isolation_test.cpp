// Runners as the monitor keeps them (isolation: process, the default): one
// that died is started again after a pause that doubles, a reload that
// changes a target restarts only that target's runner, and a shutdown
// waits for runs up to shutdown_timeout, then kills the runners still in
// one.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "engine_helpers.h"
#include "host_harness.h"
#include "test_support.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// The lines of the unruly pack's started_file, e.g. "create 123", "run ok 123".
std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(file));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int count_prefix(const std::filesystem::path& file, const std::string& prefix) {
  int n = 0;
  for (const auto& line : lines_of(file)) n += line.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

// The process id at the end of the last line starting with `prefix`.
int last_pid(const std::filesystem::path& file, const std::string& prefix) {
  int pid = 0;
  for (const auto& line : lines_of(file)) {
    if (line.rfind(prefix, 0) == 0) pid = std::stoi(line.substr(line.rfind(' ') + 1));
  }
  return pid;
}

bool process_exists(int pid) { return std::filesystem::exists("/proc/" + std::to_string(pid)); }

std::string unruly_target(const HostHarness& harness, const std::string& name,
                          const std::string& mode, const std::string& extra = "") {
  return "  - name: " + name + "\n    pack: unruly\n    mode: " + mode +
         "\n    started_file: " + harness.file(name + ".started").string() + "\n" + extra +
         "    checks:\n      probe: {interval: 100ms}\n";
}

TEST(Isolation, ARunnerThatKeepsDyingIsStartedAgainAfterPausesThatDouble) {
  HostHarness harness;
  write_file(harness.file("ctl.cmd"), "crash\n");
  harness.write_config("targets:\n" + control_target(harness, "ctl"));
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("pack 'control' crashed with SIGABRT during the run", 30s))
      << host->err();
  for (const char* pause : {"started again in 1s", "started again in 2s", "started again in 4s"}) {
    EXPECT_TRUE(host->wait_for_output(pause, 60s)) << pause << "\n" << host->err();
  }
  // Healed, the next runner runs the check, and the count starts over.
  write_file(harness.file("ctl.cmd"), "ok\n");
  ASSERT_TRUE(wait_until(
      [&] {
        const auto tickets = harness.tickets_with_key("ctl/probe:failed");
        return !tickets.empty() && !harness.open_ticket("ctl/probe:failed").has_value();
      },
      60s))
      << host->err();
  stop_host(*host);
}

TEST(Isolation, AReloadThatChangesATargetRestartsOnlyItsRunner) {
  HostHarness harness({fixture_pack("unruly")});
  const auto config = [&](const std::string& b_mode) {
    return "targets:\n" + unruly_target(harness, "a", "ok") + unruly_target(harness, "b", b_mode);
  };
  harness.write_config(config("ok"));
  auto host = harness.start();
  const auto a = harness.file("a.started");
  const auto b = harness.file("b.started");
  ASSERT_TRUE(
      wait_until([&] { return count_prefix(a, "run ") >= 2 && count_prefix(b, "run ") >= 2; }, 30s))
      << host->err();
  const int a_runner = last_pid(a, "create ");
  const int b_runner = last_pid(b, "create ");

  harness.write_config(config("violate"));
  host->signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("b/probe/s1").has_value(); }, 30s))
      << host->err();
  EXPECT_EQ(count_prefix(b, "create "), 2);
  EXPECT_NE(last_pid(b, "create "), b_runner);
  EXPECT_TRUE(wait_until([&] { return !process_exists(b_runner); }, 30s));
  // a's runner ran on, untouched.
  const int a_runs = count_prefix(a, "run ");
  ASSERT_TRUE(wait_until([&] { return count_prefix(a, "run ") > a_runs; }, 30s)) << host->err();
  EXPECT_EQ(count_prefix(a, "create "), 1);
  EXPECT_EQ(last_pid(a, "run "), a_runner);
  stop_host(*host);
}

TEST(Isolation, ShutdownKillsARunnerStillInARunAfterShutdownTimeout) {
  HostHarness harness({fixture_pack("unruly")});
  harness.write_config("shutdown_timeout: 500ms\ntargets:\n" +
                       unruly_target(harness, "stuck", "loop", "    timeout: 1h\n"));
  auto host = harness.start();
  const auto started = harness.file("stuck.started");
  ASSERT_TRUE(wait_until([&] { return count_prefix(started, "run loop") == 1; }, 30s))
      << host->err();
  const int runner = last_pid(started, "run loop");
  ASSERT_TRUE(process_exists(runner));
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(30s), 0) << host->err();
  EXPECT_TRUE(contains(host->err(), "killing its runner")) << host->err();
  EXPECT_TRUE(wait_until([&] { return !process_exists(runner); }, 30s));
}

TEST(Isolation, ARunnerEndsWhenItsHostIsKilled) {
  HostHarness harness({fixture_pack("unruly")});
  harness.write_config("targets:\n" + unruly_target(harness, "stuck", "loop", "    timeout: 1h\n"));
  auto host = harness.start();
  const auto started = harness.file("stuck.started");
  ASSERT_TRUE(wait_until([&] { return count_prefix(started, "run loop") == 1; }, 30s))
      << host->err();
  const int runner = last_pid(started, "run loop");
  host->signal(SIGKILL);
  host->wait(30s);
  EXPECT_TRUE(wait_until([&] { return !process_exists(runner); }, 30s));
}

TEST(Isolation, WhatARunnerWritesToStderrIsLoggedForItsTarget) {
  HostHarness harness({fixture_pack("unruly")});
  harness.write_config("targets:\n" + unruly_target(harness, "noisy", "stderr"));
  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  EXPECT_TRUE(contains(once.err, "[unruly/noisy] unruly: a line on stderr")) << once.err;
}

TEST(Isolation, ARunnerThatOpensTooManyFilesFailsItsRunSayingSo) {
  HostHarness harness({fixture_pack("unruly")});
  harness.write_config(
      "targets:\n" + unruly_target(harness, "greedy", "open_files", "    runner_open_files: 32\n"));
  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 3) << once.out << once.err;
  EXPECT_TRUE(
      contains(once.out, "the runner reached its limit of open files (runner_open_files: 32)"))
      << once.out;
}

TEST(Isolation, EachTargetRunsWhereItsIsolationSays) {
  HostHarness harness({fixture_pack("unruly")});
  harness.write_config("defaults: {isolation: in_process}\ntargets:\n" +
                       unruly_target(harness, "trusted", "violate") +
                       unruly_target(harness, "isolated", "violate", "    isolation: process\n"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until(
      [&] {
        return harness.open_ticket("trusted/probe/s1").has_value() &&
               harness.open_ticket("isolated/probe/s1").has_value();
      },
      30s))
      << host->err();
  EXPECT_EQ(last_pid(harness.file("trusted.started"), "run "), host->pid());
  const int runner = last_pid(harness.file("isolated.started"), "run ");
  EXPECT_NE(runner, host->pid());
  EXPECT_EQ(last_pid(harness.file("isolated.started"), "create "), runner);
  stop_host(*host);
}

}  // namespace
}  // namespace opr::test
