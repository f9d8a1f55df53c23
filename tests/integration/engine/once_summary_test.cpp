// --once as a monitoring plugin, read line by line against the Nagios
// plugin guidelines (which Icinga follows): the first line is the worst
// state and a summary, then "|" and performance data that parses
// ('label'=value[UOM];[warn];[crit];[min];[max]); the details follow, none
// holding a '|'. Usage and configuration errors exit 3 (UNKNOWN) with one
// UNKNOWN line on stdout, and a violation inside its grace is PENDING while
// the exit code reports it. The Monitoring Plugins' negate reads it too.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct PerfValue {
  double value = 0;
  std::string unit;
  std::string min;
};

// The guidelines' performance data, parsed strictly: labels quoted or
// bare (a bare one has no space, quote or '='), a number in the C locale,
// a unit the guidelines name, then warn;crit;min;max. Fails the test on
// anything else; returns label -> value.
std::map<std::string, PerfValue> parse_perfdata(const std::string& text) {
  static const std::regex kDatum(
      R"(('([^'=]+)'|([^' =]+))=(-?[0-9]+(\.[0-9]+)?)(s|ms|us|%|B|KB|MB|TB|c)?)"
      R"(;([-0-9.]*);([-0-9.]*);([-0-9.]*)(;([-0-9.]*))?)");
  std::map<std::string, PerfValue> data;
  std::istringstream in(text);
  for (std::string datum; in >> datum;) {
    // A quoted label may hold spaces: read on to its closing quote.
    while (datum.starts_with('\'') && datum.find('\'', 1) == std::string::npos) {
      std::string more;
      if (!(in >> more)) break;
      datum += " " + more;
    }
    std::smatch m;
    if (!std::regex_match(datum, m, kDatum)) {
      ADD_FAILURE() << "not performance data: '" << datum << "' in: " << text;
      continue;
    }
    const std::string label = m[2].matched ? m[2].str() : m[3].str();
    EXPECT_FALSE(data.contains(label)) << "label twice: " << label;
    data[label] = {std::stod(m[4].str()), m[6].str(), m[9].str()};
  }
  return data;
}

// The first line split into its state, summary and performance data.
struct FirstLine {
  std::string state;
  std::string summary;
  std::map<std::string, PerfValue> perfdata;
};

FirstLine first_line(const std::string& out) {
  const auto lines = lines_of(out);
  if (lines.empty()) {
    ADD_FAILURE() << "no output";
    return {};
  }
  static const std::regex kFirst(R"((OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+) \| (.+))");
  std::smatch m;
  if (!std::regex_match(lines[0], m, kFirst)) {
    ADD_FAILURE() << "not a plugin's first line: " << lines[0];
    return {};
  }
  // Performance data goes on the first line only: no detail holds a '|'.
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].find('|'), std::string::npos) << lines[i];
  }
  return {m[1].str(), m[2].str(), parse_perfdata(m[3].str())};
}

TEST(OnceSummary, TheFirstLineIsTheWorstStateAndTheDetailsFollow) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 info certificate renews in 20 days\n");
  write_file(harness.file("b.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a") + control_target(harness, "b"));
  const CommandResult result = harness.run_once();
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const FirstLine first = first_line(result.out);
  EXPECT_EQ(first.state, "WARNING");
  EXPECT_EQ(first.summary, "1 violated, 1 ok");
  EXPECT_EQ(first.perfdata.size(), 6u) << result.out;
  for (const char* counter : {"violations", "pending", "failed", "unknown"}) {
    ASSERT_TRUE(first.perfdata.contains(counter)) << counter << " in " << result.out;
    EXPECT_EQ(first.perfdata.at(counter).unit, "") << counter;
    EXPECT_EQ(first.perfdata.at(counter).min, "0") << counter;
  }
  EXPECT_EQ(first.perfdata.at("violations").value, 1);
  EXPECT_EQ(first.perfdata.at("pending").value, 0);
  EXPECT_EQ(first.perfdata.at("failed").value, 0);
  for (const char* check : {"a/probe", "b/probe"}) {
    ASSERT_TRUE(first.perfdata.contains(check)) << check << " in " << result.out;
    EXPECT_EQ(first.perfdata.at(check).unit, "ms") << check;
    EXPECT_GE(first.perfdata.at(check).value, 0) << check;
  }
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  EXPECT_EQ(lines[1], "VIOLATION a/probe: s1: certificate renews in 20 days (info)");
  EXPECT_TRUE(lines[2].starts_with("OK b/probe (")) << lines[2];
  ASSERT_TRUE(harness.open_ticket("a/probe/s1").has_value());
}

TEST(OnceSummary, FailuresAndBlindSpotsAreUnknownAndCounted) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "fail endpoint down\n");
  write_file(harness.file("b.cmd"), "unknown 3 store 3 is Disconnected\n");
  write_file(harness.file("c.cmd"), "violate 1 critical store 1 is Down\n");
  harness.write_config("targets:\n" + control_target(harness, "a") + control_target(harness, "b") +
                       control_target(harness, "c"));
  const CommandResult result = harness.run_once();
  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  const FirstLine first = first_line(result.out);
  EXPECT_EQ(first.state, "UNKNOWN");
  EXPECT_EQ(first.summary, "1 failed, 1 violated, 1 unknown");
  EXPECT_EQ(first.perfdata.at("failed").value, 1);
  EXPECT_EQ(first.perfdata.at("unknown").value, 1);
  EXPECT_EQ(first.perfdata.at("violations").value, 1);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 4u) << result.out;
  EXPECT_EQ(lines[1], "FAILED a/probe: endpoint down");
  EXPECT_EQ(lines[2], "UNKNOWN b/probe: 3: store 3 is Disconnected");
  EXPECT_EQ(lines[3], "VIOLATION c/probe: 1: store 1 is Down (critical)");
}

TEST(OnceSummary, APipeInAMessageCannotStartPerformanceData) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s|1 warning load | 7 over=9\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  const CommandResult result = harness.run_once();
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const FirstLine first = first_line(result.out);  // fails on a '|' in a detail
  EXPECT_EQ(first.perfdata.size(), 5u) << result.out;
  EXPECT_TRUE(
      contains(result.out, "\nVIOLATION a/probe: s\u00a61: load \u00a6 7 over=9 (warning)\n"))
      << result.out;
}

// The grace's end as the line gives it, e.g. "... (critical, in grace until
// 2026-11-26T15:00:00.000Z)"; nullopt when the line says no such thing.
std::optional<TimePoint> grace_end(const std::string& line) {
  static const std::regex kPending(R"(PENDING a/probe: s1: .* \(critical, in grace until (\S+)\))");
  std::smatch m;
  if (!std::regex_match(line, m, kPending)) return std::nullopt;
  return parse_utc(m[1].str());
}

TEST(OnceSummary, AViolationInsideItsGraceIsPendingAndTheExitCodeReportsIt) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 critical\n");
  write_file(harness.file("b.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a", ", grace: 1h") +
                       control_target(harness, "b"));
  const TimePoint before = now_ms();
  const CommandResult result = harness.run_once();
  const TimePoint after = now_ms();
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const FirstLine first = first_line(result.out);
  EXPECT_EQ(first.state, "CRITICAL");
  EXPECT_EQ(first.summary, "1 pending, 1 ok");
  EXPECT_EQ(first.perfdata.at("violations").value, 1);
  EXPECT_EQ(first.perfdata.at("pending").value, 1);
  const auto lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  const auto until = grace_end(lines[1]);
  ASSERT_TRUE(until.has_value()) << lines[1];
  EXPECT_GE(*until, before + 1h);
  EXPECT_LE(*until, after + 1h);
  EXPECT_TRUE(harness.tickets().empty());

  // The grace is the database's: the next run counts from the same sight.
  const CommandResult again = harness.run_once();
  EXPECT_EQ(again.exit_code, 2) << again.out << again.err;
  ASSERT_GE(lines_of(again.out).size(), 2u) << again.out;
  EXPECT_EQ(grace_end(lines_of(again.out)[1]), until) << again.out;
}

TEST(OnceSummary, APendingViolationBecomesAViolationWhenItsGraceEnds) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 critical\n");
  harness.write_config("targets:\n" + control_target(harness, "a", ", grace: 1s"));
  const CommandResult first = harness.run_once();
  EXPECT_EQ(first.exit_code, 2) << first.out << first.err;
  EXPECT_TRUE(contains(first.out, "\nPENDING a/probe: s1: ")) << first.out;
  CommandResult later;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  do {
    later = harness.run_once();
  } while (!contains(later.out, "\nVIOLATION a/probe: s1: ") &&
           std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(later.exit_code, 2) << later.out << later.err;
  EXPECT_TRUE(first_line(later.out).summary == "1 violated") << later.out;
  EXPECT_TRUE(harness.open_ticket("a/probe/s1").has_value());
}

// Bad usage and unusable configs: UNKNOWN (3), one line on stdout.
TEST(OnceSummary, UsageAndConfigErrorsAreUnknown) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  const std::string config = harness.config_path().string();
  write_file(harness.file("bad.yaml"), "targets: [\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--config", config, "--once", "--bogus"}, "unknown option '--bogus'"},
      {{"--once", "--config", config, "--log-level", "verbose"}, "--log-level: unknown log level"},
      {{"--once"}, "give --config FILE"},
      {{"--once", "--config", harness.file("missing.yaml").string()}, "cannot read the config"},
      {{"--once", "--config", harness.file("bad.yaml").string()}, "bad.yaml:"},
  };
  for (const auto& [args, reason] : cases) {
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 3) << args.back() << ": " << result.out << result.err;
    const auto lines = lines_of(result.out);
    ASSERT_EQ(lines.size(), 1u) << result.out;
    EXPECT_TRUE(lines[0].starts_with("UNKNOWN - ")) << lines[0];
    EXPECT_TRUE(contains(lines[0], reason)) << lines[0];
    EXPECT_EQ(lines[0].find('|'), std::string::npos) << lines[0];
    EXPECT_TRUE(contains(result.err, reason)) << result.err;
  }
  // Without --once, bad usage stays 2 and a bad config 1, stdout empty.
  const CommandResult usage = run_operator_host({"--config", config, "--bogus"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
  EXPECT_EQ(usage.out, "");
  EXPECT_FALSE(std::filesystem::exists(harness.db_path())) << "a run started";
}

// The Monitoring Plugins' own `negate` (monitoring-plugins-basic, which
// scripts/setup installs) wrapping --once: it reads the state from the
// exit code and the first line, as Nagios does, and gives "No data
// returned from command" when stdout is empty.
const std::filesystem::path kNegate = "/usr/lib/nagios/plugins/negate";

TEST(OnceSummary, TheMonitoringPluginsNegateReadsItAsAPlugin) {
  if (!std::filesystem::exists(kNegate)) {
    GTEST_SKIP() << kNegate
                 << " is not installed (scripts/setup installs monitoring-plugins-basic)";
  }
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 critical store 1 is Down\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  const std::string config = harness.config_path().string();
  // CRITICAL becomes OK, in the exit code and (-s) in the first line's text.
  const CommandResult negated = run_command(
      {kNegate.string(), "-t", "60", "-s", operator_host().string(), "--config", config, "--once"});
  EXPECT_EQ(negated.exit_code, 0) << negated.out << negated.err;
  EXPECT_TRUE(negated.out.starts_with("OK - 1 violated | violations=1;;;0 ")) << negated.out;
  EXPECT_TRUE(contains(negated.out, "\nVIOLATION a/probe: s1: store 1 is Down (critical)"))
      << negated.out;
  // A usage error is UNKNOWN with a line to show: -u OK turns it into OK.
  const CommandResult usage = run_command({kNegate.string(), "-u", "OK", operator_host().string(),
                                           "--config", config, "--once", "--x"});
  EXPECT_EQ(usage.exit_code, 0) << usage.out << usage.err;
  EXPECT_TRUE(usage.out.starts_with("UNKNOWN - unknown option '--x'")) << usage.out;
}

}  // namespace
}  // namespace opr::test
