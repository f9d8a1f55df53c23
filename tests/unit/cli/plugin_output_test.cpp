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

// A failure that names its cause (ABI 1.3) says which dependency failed.
TEST(PluginOutput, AFailedCheckNamesTheCauseItFailedFor) {
  engine::CheckReport failed = ok_report("a");
  failed.ok = false;
  failed.error = "PD answered 500";
  failed.cause = "pd:http://pd:2379";
  engine::CheckReport plain = failed;
  plain.check = "b";
  plain.cause.clear();
  const std::vector<engine::CheckReport> reports = {failed, plain};
  const std::string out = plugin_output(reports, plugin_exit_code(reports));
  EXPECT_NE(out.find("\nFAILED t/a: PD answered 500 (cause pd:http://pd:2379)\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\nFAILED t/b: PD answered 500\n"), std::string::npos) << out;
}

TEST(PluginOutput, ACheckWithOneViolationPastItsGraceIsViolated) {
  engine::CheckReport both = violated("a", Severity::warning, *parse_utc("2026-11-26T15:00:00Z"));
  both.violations.push_back({"s2", "also broken", Severity::warning, std::nullopt});
  const std::string out = plugin_output({both}, plugin_exit_code({both}));
  EXPECT_TRUE(out.starts_with("WARNING - 1 violated | violations=2;;;0 pending=1;;;0 ")) << out;
}

// --once --json says what the text says: the same state, counts and
// outcomes, a pending violation with the end of its grace.
TEST(PluginOutput, TheJsonFormCarriesTheSameRun) {
  const TimePoint until = *parse_utc("2026-11-26T15:00:00Z");
  engine::CheckReport failed = ok_report("d");
  failed.ok = false;
  failed.error = "PD answered 500";
  failed.cause = "pd:http://pd:2379";
  engine::CheckReport blind = ok_report("e");
  blind.unknown.push_back({"s9", "no metrics"});
  const std::vector<engine::CheckReport> reports = {violated("a", Severity::critical, until),
                                                    violated("b", Severity::warning),
                                                    ok_report("c", 21ms), failed, blind};
  const int code = plugin_exit_code(reports);
  const nlohmann::ordered_json json = plugin_json(reports, code);
  EXPECT_EQ(json["state"], "UNKNOWN");
  EXPECT_EQ(json["exit_code"], kPluginUnknown);
  EXPECT_EQ(json["summary"],
            nlohmann::ordered_json::parse(
                R"({"checks": 5, "failed": 1, "violated": 1, "pending": 1, "unknown": 1, "ok": 1,
                    "violations": 2, "pending_violations": 1, "unknown_subjects": 1})"));
  std::vector<std::string> outcomes;
  for (const auto& check : json["checks"]) outcomes.push_back(check["outcome"]);
  EXPECT_EQ(outcomes, (std::vector<std::string>{"pending", "violated", "ok", "failed", "unknown"}));
  EXPECT_EQ(json["checks"][0]["violations"][0]["in_grace_until"], "2026-11-26T15:00:00.000Z");
  EXPECT_TRUE(json["checks"][1]["violations"][0]["in_grace_until"].is_null());
  EXPECT_EQ(json["checks"][2]["duration_ms"], 21);
  EXPECT_EQ(json["checks"][3]["error"], "PD answered 500");
  EXPECT_EQ(json["checks"][3]["cause"], "pd:http://pd:2379");
  EXPECT_TRUE(json["checks"][2]["cause"].is_null());
  EXPECT_TRUE(json["checks"][2]["error"].is_null());
  EXPECT_EQ(json["checks"][4]["unknown"][0]["reason"], "no metrics");
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
