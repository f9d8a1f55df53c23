// The Prometheus text format as the listener writes it: escaping of label
// values and help text, number forms, and the whole page as Prometheus'
// own parser and linter read it (promtool check metrics).
#include "observe/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "observe/metrics.h"
#include "test_support.h"

namespace opr::observe {
namespace {

TEST(Exposition, EscapesBackslashQuoteAndLineFeedInLabelValues) {
  EXPECT_EQ(escape_label_value("plain-name_1.2"), "plain-name_1.2");
  EXPECT_EQ(escape_label_value(R"(a\b)"), R"(a\\b)");
  EXPECT_EQ(escape_label_value(R"(say "hi")"), R"(say \"hi\")");
  EXPECT_EQ(escape_label_value("two\nlines"), R"(two\nlines)");
  EXPECT_EQ(escape_label_value("\\\"\n"), R"(\\\"\n)");
  // Tabs and other characters stay as they are: the format escapes only those three.
  EXPECT_EQ(escape_label_value("a\tb"), "a\tb");
  EXPECT_EQ(escape_label_value("störe ✓"), "störe ✓");
}

TEST(Exposition, LabelValuesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(escape_label_value(std::string("a\xff") + "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(escape_label_value("\xc3"), "\xEF\xBF\xBD");
}

TEST(Exposition, FormatsValuesAsThePrometheusParserReadsThem) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(2.5), "2.5");
  EXPECT_EQ(format_value(1764151200.123), "1764151200.123");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(Exposition, WritesHelpTypeAndSamples) {
  Exposition out;
  out.family("x_total", "counter", "Lines\nand a back\\slash.");
  out.sample("x_total", {{"a", "1"}, {"b", "q\""}}, uint64_t{7});
  out.sample("x_total", {}, 0.5);
  EXPECT_EQ(out.text(),
            "# HELP x_total Lines\\nand a back\\\\slash.\n"
            "# TYPE x_total counter\n"
            "x_total{a=\"1\",b=\"q\\\"\"} 7\n"
            "x_total 0.5\n");
}

// What promtool says of `text` (exit code, and its words on failure).
test::CommandResult promtool_check(const std::string& text) {
  test::ProcessOptions options;
  options.stdin_text = text;
  return test::run_command({"/usr/bin/promtool", "check", "metrics"}, options);
}

TEST(Exposition, PromtoolAcceptsEveryMetricWithHostileLabelValues) {
  Metrics metrics;
  const TimePoint now = now_ms();
  const std::string hostile_check = "quote\" back\\slash\nnew line \xff";
  metrics.schedule(
      {{"prod",
        {{"store_up", std::chrono::seconds(10)}, {hostile_check, std::chrono::seconds(30)}}}},
      now);
  metrics.config_loaded(now);
  metrics.set_running(true);
  metrics.record_run("prod", "store_up", RunOutcome::violated, std::chrono::milliseconds(12), 2,
                     true, now);
  metrics.record_run("prod", hostile_check, RunOutcome::failed, std::chrono::milliseconds(70'000),
                     0, false, now);
  metrics.record_reload(false, now);
  metrics.set_pack_load_failures(1);
  Exposition out;
  metrics.render(out);
  const auto result = promtool_check(out.text());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err << "\n" << out.text();
  EXPECT_TRUE(test::contains(out.text(), R"(check="quote\" back\\slash\nnew line )")) << out.text();
}

TEST(Exposition, PromtoolRefusesAnUnescapedLabelValue) {
  // The check above would pass on a promtool that read anything.
  const auto result =
      promtool_check("# HELP a_total x\n# TYPE a_total counter\na_total{l=\"x\ny\"} 1\n");
  EXPECT_NE(result.exit_code, 0);
}

}  // namespace
}  // namespace opr::observe
