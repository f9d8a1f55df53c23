// SIGTERM ends the monitor within its bound with the database intact, even
// with a run stuck in a pack; SIGHUP reloads, and a broken config leaves the
// running one in place.
#include <gtest/gtest.h>
#include <signal.h>

#include <sstream>
#include <string>

#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

std::string control_target(const std::string& name, const HostHarness& harness,
                           const std::string& extra = "") {
  return "  - name: " + name +
         "\n"
         "    pack: control\n"
         "    checks:\n"
         "      probe: {interval: 100ms, command_file: " +
         harness.file(name + ".cmd").string() +
         ", log_file: " + harness.file(name + ".log").string() + extra + "}\n";
}

void expect_database_intact(const HostHarness& harness) {
  const auto check = harness.integrity_check();
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_EQ(check.out, "ok\n");
}

TEST(EngineSignals, SigtermDuringAStuckRunExitsWithinTheBoundWithTheDatabaseIntact) {
  HostHarness harness;
  const FileGate release(harness.file("release"));  // the busy run is stuck until the test ends
  write_file(harness.file("busy.cmd"),
             "violate s1 warning\nblock_until " + release.path().string() + "\n");
  write_file(harness.file("calm.cmd"), "violate s2 critical\n");
  harness.write_config("shutdown_timeout: 500ms\ntargets:\n" +
                       control_target("busy", harness, ", timeout: 20s") +
                       control_target("calm", harness));
  auto host = harness.start();
  ASSERT_TRUE(
      wait_until([&] { return count_lines(harness.file("busy.log"), "probe start") >= 1; }, 10s))
      << host->err();
  ASSERT_TRUE(wait_until([&] { return !harness.tickets_with_key("calm/probe/s2").empty(); }, 10s))
      << host->err();
  // Shutdown gives up on the stuck run after shutdown_timeout (plus a second
  // at most): well under the 20 s waited here. How fast is in bench/.
  host->signal(SIGTERM);
  const auto code = host->wait(20s);
  ASSERT_TRUE(code.has_value()) << "still running 20 s after SIGTERM\n" << host->err();
  EXPECT_EQ(*code, 0) << host->err();
  expect_database_intact(harness);
  EXPECT_EQ(harness.tickets_with_key("calm/probe/s2").size(), 1u);
}

TEST(EngineSignals, SigintWaitsForACancelledRunThatReturns) {
  HostHarness harness;
  write_file(harness.file("slow.cmd"), "hang 30000\n");
  harness.write_config("targets:\n" + control_target("slow", harness, ", timeout: 20s"));
  auto host = harness.start();
  ASSERT_TRUE(
      wait_until([&] { return count_lines(harness.file("slow.log"), "probe start") >= 1; }, 10s))
      << host->err();
  host->signal(SIGINT);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
  // The run saw the cancellation and returned before the host exited.
  EXPECT_EQ(count_lines(harness.file("slow.log"), "probe end"), 1);
  expect_database_intact(harness);
}

// Every config the reader refuses for its shape (a cycle, a billion laughs,
// nesting past the limit, a file too large) is a failed reload like any
// other: logged with its cause, and the running config goes on.
TEST(EngineSignals, SighupWithAHostileConfigLogsTheCauseAndKeepsTheOldOneRunning) {
  HostHarness harness;
  write_file(harness.file("one.cmd"), "ok\n");
  const std::string good = "targets:\n" + control_target("one", harness);
  harness.write_config(good);
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("0 violations, 0 failures", 10s)) << host->err();

  // write_config puts two lines (database, plugin_dirs) before each body.
  const struct {
    std::string body;
    std::string cause;
  } hostile[] = {
      {"targets: &a [*a]\n",
       ":3:14: alias *a is inside the node it names (anchored at line 3, column 10): an alias "
       "cycle"},
      {opr::test::billion_laughs_yaml(9),
       ":8:10: alias *a4 would expand the config past 100000 "
       "nodes"},
      {"targets: " + std::string(10'000, '[') + std::string(10'000, ']') + "\n",
       ":3:73: mappings and lists are nested deeper than 64 levels here"},
      {"a: &a " + std::string(1'000'000, 'x') + "\nb: [*a, *a, *a, *a, *a]\n",
       ":4:17: alias *a would expand the config past 4 MiB of text"},
      {"# " + std::string(1 << 20, 'x') + "\n" + good,
       ": the config file is larger than 1 MiB, the most operator reads"},
  };
  for (const auto& h : hostile) {
    SCOPED_TRACE(h.cause);
    const size_t seen = host->err().size();
    harness.write_config(h.body);
    host->signal(SIGHUP);
    ASSERT_TRUE(wait_until(
        [&] {
          return host->err().find("config reload failed", seen) != std::string::npos &&
                 host->err().find(harness.config_path().string() + h.cause, seen) !=
                     std::string::npos;
        },
        10s))
        << host->err().substr(seen, 2000);
    // The old config keeps running.
    const int runs = count_lines(harness.file("one.log"), "probe end");
    ASSERT_TRUE(wait_until(
        [&] { return count_lines(harness.file("one.log"), "probe end") >= runs + 2; }, 5s))
        << host->err().substr(seen, 2000);
    EXPECT_TRUE(host->running());
  }
  harness.write_config(good);
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(5s), 0) << host->err().substr(0, 4000);
}

TEST(EngineSignals, SighupWithABrokenConfigKeepsTheOldOneAndAGoodOneTakesEffect) {
  HostHarness harness;
  write_file(harness.file("one.cmd"), "ok\n");
  write_file(harness.file("two.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target("one", harness));
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("0 violations, 0 failures", 10s)) << host->err();

  // Broken: a target without a name. Logged with file, line and column
  // (line 8: the harness writes two lines before the body); the old config
  // keeps running.
  harness.write_config("targets:\n" + control_target("one", harness) + "  - nmae: two\n");
  host->signal(SIGHUP);
  ASSERT_TRUE(host->wait_for_output("config reload failed", 10s)) << host->err();
  EXPECT_NE(host->err().find(harness.config_path().string() + ":8:5: a target needs a 'name'"),
            std::string::npos)
      << host->err();
  const int runs = count_lines(harness.file("one.log"), "probe end");
  ASSERT_TRUE(wait_until(
      [&] { return count_lines(harness.file("one.log"), "probe end") >= runs + 3; }, 30s))
      << host->err();
  EXPECT_EQ(count_lines(harness.file("two.log"), "probe start"), 0);

  // Good: the new target starts running.
  harness.write_config("targets:\n" + control_target("one", harness) +
                       control_target("two", harness));
  host->signal(SIGHUP);
  ASSERT_TRUE(host->wait_for_output("config reloaded", 10s)) << host->err();
  ASSERT_TRUE(
      wait_until([&] { return count_lines(harness.file("two.log"), "probe end") >= 2; }, 30s))
      << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

TEST(EngineSignals, SighupAppliesANewLogLevelAndFormat) {
  HostHarness harness;
  write_file(harness.file("one.cmd"), "ok\n");
  const std::string targets = "targets:\n" + control_target("one", harness);
  harness.write_config("log: {level: info, format: text}\n" + targets);
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("0 violations, 0 failures", 10s)) << host->err();
  // At info, a run's own line ("one/probe ok in N ms: ...", debug) is not
  // logged; ours to look for, unlike how spdlog spells a level in text.
  EXPECT_FALSE(contains(host->err(), "one/probe ok in ")) << host->err();

  harness.write_config("log: {level: debug, format: json}\n" + targets);
  host->signal(SIGHUP);
  ASSERT_TRUE(host->wait_for_output("config reloaded", 10s)) << host->err();
  // The lines after the reload are JSON objects, the run's debug line among
  // them (read as JSON: how the library orders keys is not ours).
  const auto json_debug_run_line = [&] {
    std::istringstream lines(host->err().substr(host->err().find("config reloaded")));
    std::string line;
    std::getline(lines, line);  // the rest of the reload's own line
    while (std::getline(lines, line)) {
      const Json parsed = Json::parse(line, nullptr, false);
      if (parsed.is_object() && parsed.value("level", "") == "debug" &&
          parsed.value("message", "").starts_with("one/probe ok in ")) {
        return true;
      }
    }
    return false;
  };
  ASSERT_TRUE(wait_until(json_debug_run_line, 30s)) << host->err();
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

// The count in the last "failed (N in a row)" line of `log` before `end`.
int last_failure_count(const std::string& log, std::size_t end) {
  const std::string marker = "failed (";
  const auto pos = log.rfind(marker, end);
  if (pos == std::string::npos) return 0;
  return std::stoi(log.substr(pos + marker.size()));
}

TEST(EngineSignals, AReloadKeepsTheFailureCountOfAnUnchangedCheck) {
  HostHarness harness;
  write_file(harness.file("one.cmd"), "fail no data\n");
  const std::string config =
      "defaults: {failure_threshold: 100}\ntargets:\n" + control_target("one", harness);
  harness.write_config(config);
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("failed (3 in a row)", 10s)) << host->err();
  harness.write_config(config);
  host->signal(SIGHUP);
  ASSERT_TRUE(host->wait_for_output("config reloaded", 10s)) << host->err();
  const auto reloaded = host->err().find("config reloaded");
  ASSERT_TRUE(
      wait_until([&] { return host->err().find("failed (", reloaded) != std::string::npos; }, 30s));
  const std::string log = host->err();
  const int before = last_failure_count(log, reloaded);
  const int after = std::stoi(log.substr(log.find("failed (", reloaded) + 8));
  EXPECT_EQ(after, before + 1) << log;
  host->signal(SIGTERM);
  EXPECT_EQ(host->wait(20s), 0) << host->err();
}

}  // namespace
}  // namespace opr::test
