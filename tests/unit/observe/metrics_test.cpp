// What the engine records and what a scrape and /-/ready make of it.
#include "observe/metrics.h"

#include <gtest/gtest.h>
#include <operator/plugin.h>

#include "test_support.h"

namespace opr::observe {
namespace {

using namespace std::chrono_literals;
using test::contains;

std::string rendered(const Metrics& metrics) {
  Exposition out;
  metrics.render(out);
  return out.text();
}

TEST(Metrics, CountsRunsByOutcomeAndViolations) {
  Metrics metrics;
  const TimePoint t0 = now_ms();
  metrics.schedule({{"prod", {{"store_up", 10s}}}}, t0);
  metrics.record_run("prod", "store_up", RunOutcome::ok, 3ms, 0, true, t0);
  metrics.record_run("prod", "store_up", RunOutcome::violated, 3ms, 4, true, t0);
  metrics.record_run("prod", "store_up", RunOutcome::violated, 3ms, 1, true, t0);
  metrics.record_run("prod", "store_up", RunOutcome::failed, 3ms, 0, true, t0);
  const std::string text = rendered(metrics);
  EXPECT_TRUE(contains(text,
                       "operator_check_runs_total{target=\"prod\",check=\"store_up\","
                       "outcome=\"ok\"} 1\n"))
      << text;
  EXPECT_TRUE(contains(text, "outcome=\"violated\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "outcome=\"failed\"} 1\n")) << text;
  EXPECT_TRUE(
      contains(text, "operator_violations_reported_total{target=\"prod\",check=\"store_up\"} 5\n"))
      << text;
}

TEST(Metrics, DurationHistogramIsCumulative) {
  Metrics metrics;
  const TimePoint t0 = now_ms();
  metrics.record_run("t", "c", RunOutcome::ok, 5ms, 0, true, t0);       // le 0.005
  metrics.record_run("t", "c", RunOutcome::ok, 200ms, 0, true, t0);     // le 0.25
  metrics.record_run("t", "c", RunOutcome::failed, 90s, 0, false, t0);  // only +Inf
  const std::string text = rendered(metrics);
  const std::string series = "operator_check_run_duration_seconds_bucket{target=\"t\",check=\"c\",";
  EXPECT_TRUE(contains(text, series + "le=\"0.005\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, series + "le=\"0.1\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, series + "le=\"0.25\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, series + "le=\"60\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, series + "le=\"+Inf\"} 3\n")) << text;
  EXPECT_TRUE(
      contains(text, "operator_check_run_duration_seconds_count{target=\"t\",check=\"c\"} 3\n"))
      << text;
  EXPECT_TRUE(
      contains(text, "operator_check_run_duration_seconds_sum{target=\"t\",check=\"c\"} 90.2"))
      << text;
}

TEST(Metrics, BuildInfoNamesVersionAndAbi) {
  const std::string text = rendered(Metrics{});
  EXPECT_TRUE(contains(text, "operator_build_info{version=\"")) << text;
  EXPECT_TRUE(contains(text, "\",abi=\"" + std::to_string(OP_ABI_MAJOR) + "." +
                                 std::to_string(OP_ABI_MINOR) + "\"} 1\n"))
      << text;
}

TEST(Metrics, ReloadsAndTheLastGoodOne) {
  Metrics metrics;
  const TimePoint start{std::chrono::milliseconds(1'000'000'000'000)};
  metrics.config_loaded(start);
  std::string text = rendered(metrics);
  EXPECT_TRUE(contains(text, "operator_config_last_reload_successful 1\n")) << text;
  EXPECT_TRUE(contains(text, "operator_config_last_reload_success_timestamp_seconds 1000000000\n"))
      << text;
  metrics.record_reload(true, start + 1500ms);
  metrics.record_reload(false, start + 3s);
  text = rendered(metrics);
  EXPECT_TRUE(contains(text, "operator_config_reloads_total{result=\"success\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "operator_config_reloads_total{result=\"failure\"} 1\n")) << text;
  EXPECT_TRUE(contains(text, "operator_config_last_reload_successful 0\n")) << text;
  EXPECT_TRUE(
      contains(text, "operator_config_last_reload_success_timestamp_seconds 1000000001.5\n"))
      << text;
}

TEST(Metrics, TargetCycleIsItsSlowestCheckAndOnlyRunsThatReturnedCount) {
  Metrics metrics;
  const TimePoint t0{std::chrono::milliseconds(2'000'000'000'000)};
  metrics.schedule({{"a", {{"fast", 1s}, {"slow", 5s}}}}, t0);
  metrics.record_run("a", "fast", RunOutcome::ok, 1ms, 0, true, t0 + 10s);
  std::string text = rendered(metrics);
  // slow has not completed: the cycle is still the time watching began.
  EXPECT_TRUE(contains(
      text, "operator_target_last_completed_cycle_timestamp_seconds{target=\"a\"} 2000000000\n"))
      << text;
  EXPECT_TRUE(contains(text, "operator_target_interval_seconds{target=\"a\"} 5\n")) << text;
  metrics.record_run("a", "slow", RunOutcome::failed, 1ms, 0, false, t0 + 12s);  // timed out
  metrics.record_run("a", "slow", RunOutcome::failed, 1ms, 0, true, t0 + 11s);   // pack said no
  text = rendered(metrics);
  EXPECT_TRUE(contains(
      text, "operator_target_last_completed_cycle_timestamp_seconds{target=\"a\"} 2000000010\n"))
      << text;
}

TEST(Metrics, ReadyOnlyWhileRunningWithFreshCyclesAndGoodWrites) {
  Metrics metrics;
  const TimePoint t0 = now_ms();
  metrics.schedule({{"a", {{"c", 1s}}}, {"idle", {}}}, t0);
  ASSERT_EQ(metrics.unready_reasons(t0).size(), 1u);
  EXPECT_TRUE(contains(metrics.unready_reasons(t0)[0], "not running"))
      << metrics.unready_reasons(t0)[0];
  metrics.set_running(true);
  EXPECT_TRUE(metrics.unready_reasons(t0 + 3s).empty());  // 3 intervals: not more than that
  auto reasons = metrics.unready_reasons(t0 + 3001ms);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_TRUE(contains(reasons[0], "target 'a' has not completed a cycle")) << reasons[0];
  metrics.record_run("a", "c", RunOutcome::ok, 1ms, 0, true, t0 + 3s);
  EXPECT_TRUE(metrics.unready_reasons(t0 + 4s).empty());
  metrics.record_write("database is locked");
  reasons = metrics.unready_reasons(t0 + 4s);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_TRUE(contains(reasons[0], "not writable")) << reasons[0];
  EXPECT_TRUE(contains(reasons[0], "database is locked")) << reasons[0];
  metrics.record_write(std::nullopt);
  EXPECT_TRUE(metrics.unready_reasons(t0 + 4s).empty());
  metrics.set_running(false);
  EXPECT_FALSE(metrics.unready_reasons(t0 + 4s).empty());
}

TEST(Metrics, AReloadKeepsTheCycleOfUnchangedChecksAndRestartsChangedOnes) {
  Metrics metrics;
  const TimePoint t0{std::chrono::milliseconds(3'000'000'000'000)};
  metrics.schedule({{"a", {{"c", 1s}}}, {"b", {{"c", 1s}}}}, t0);
  metrics.set_running(true);
  // Neither completes; a reload changes b's interval and drops nothing.
  metrics.schedule({{"a", {{"c", 1s}}}, {"b", {{"c", 2s}}}}, t0 + 2500ms);
  const auto reasons = metrics.unready_reasons(t0 + 3500ms);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_TRUE(contains(reasons[0], "target 'a'")) << reasons[0];
  // A target the config no longer has is no reason, and has no cycle series.
  metrics.schedule({{"b", {{"c", 2s}}}}, t0 + 3500ms);
  EXPECT_TRUE(metrics.unready_reasons(t0 + 3500ms).empty());
  EXPECT_FALSE(contains(rendered(metrics),
                        "operator_target_last_completed_cycle_timestamp_seconds{target=\"a\"}"));
}

}  // namespace
}  // namespace opr::observe
