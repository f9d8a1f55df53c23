// The plugin output of --once built from reports directly: the worst state,
// what PENDING counts as, and labels the performance data can carry.
#include "cli/plugin_output.h"

#include <gtest/gtest.h>

namespace opr::cli {
namespace {

using namespace std::chrono_literals;

engine::CheckReport ok_report(const std::string& check, std::chrono::milliseconds took = 5ms) {
  engine::CheckReport report;
  report.target = "t";
  report.check = check;
  report.ok = true;
  report.duration = took;
  return report;
}

engine::CheckReport violated(const std::string& check, Severity severity,
                             std::optional<TimePoint> in_grace_until = std::nullopt) {
  engine::CheckReport report = ok_report(check);
  report.violations.push_back({"s1", "broken", severity, in_grace_until});
  return report;
}

TEST(PluginOutput, LabelsAreQuotedWhenTheyAreNotOneWord) {
  EXPECT_EQ(perfdata_label("violations"), "violations");
  EXPECT_EQ(perfdata_label("prod-tikv/store_up"), "'prod-tikv/store_up'");
  EXPECT_EQ(perfdata_label("a b"), "'a b'");
  // ' = and | cannot be carried in a label at all.
  EXPECT_EQ(perfdata_label("it's=a|b"), "it_s_a_b");
  EXPECT_EQ(perfdata_label("a 'b'"), "'a _b_'");
}

TEST(PluginOutput, APendingViolationCountsForTheStateButIsNotViolated) {
  const TimePoint until = *parse_utc("2026-11-26T15:00:00Z");
  const std::vector<engine::CheckReport> reports = {violated("a", Severity::critical, until),
                                                    violated("b", Severity::warning),
                                                    ok_report("c", 21ms)};
  const int code = plugin_exit_code(reports);
  EXPECT_EQ(code, kPluginCritical);
  EXPECT_EQ(plugin_output(reports, code),
            "CRITICAL - 1 violated, 1 pending, 1 ok | violations=2;;;0 pending=1;;;0 "
            "failed=0;;;0 unknown=0;;;0 't/a'=5ms;;;0 't/b'=5ms;;;0 't/c'=21ms;;;0\n"
            "PENDING t/a: s1: broken (critical, in grace until 2026-11-26T15:00:00.000Z)\n"
            "VIOLATION t/b: s1: broken (warning)\n"
            "OK t/c (21 ms)\n");
}

TEST(PluginOutput, ACheckWithOneViolationPastItsGraceIsViolated) {
  engine::CheckReport both = violated("a", Severity::warning, *parse_utc("2026-11-26T15:00:00Z"));
  both.violations.push_back({"s2", "also broken", Severity::warning, std::nullopt});
  const std::string out = plugin_output({both}, plugin_exit_code({both}));
  EXPECT_TRUE(out.starts_with("WARNING - 1 violated | violations=2;;;0 pending=1;;;0 ")) << out;
}

TEST(PluginOutput, NoChecksIsOk) {
  EXPECT_EQ(plugin_exit_code({}), kPluginOk);
  EXPECT_EQ(plugin_output({}, kPluginOk),
            "OK - no enabled checks | violations=0;;;0 pending=0;;;0 failed=0;;;0 unknown=0;;;0\n");
}

TEST(PluginOutput, AnUnknownLineIsTheFirstLineOfTheError) {
  EXPECT_EQ(plugin_unknown_line("unknown option '--x'\nUsage:\n  ..."),
            "UNKNOWN - unknown option '--x'\n");
  EXPECT_EQ(plugin_unknown_line("a|b\x1b"), "UNKNOWN - a\u00a6b\\x1b\n");
}

}  // namespace
}  // namespace opr::cli
