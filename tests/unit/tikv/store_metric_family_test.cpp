// The per-store metric family: its table, the queries it builds, and the
// evaluation of every row through the same join as latency and disk_space.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "evaluation.h"
#include "fixture.h"
#include "promql.h"
#include "store_index.h"
#include "store_metric_rows.h"

namespace opr::tikv {
namespace {

using std::chrono::milliseconds;
using test::fixture;
using test::parse_stores;

// Store 1 at 10.0.1.11, 4 at .12, 5 at .13 (healthy fixture).
StoreList healthy() { return parse_stores(fixture("pd/pd_stores_healthy.json")); }

const StoreMetricRow& row(std::string_view name) {
  for (const StoreMetricRow& r : store_metric_rows()) {
    if (r.name == name) return r;
  }
  throw std::out_of_range(std::string(name));
}

Sample sample(std::string instance, double value) { return {std::move(instance), "", value}; }

std::map<std::string, Fact> facts_of(const Violation& v) {
  std::map<std::string, Fact> out;
  for (const Fact& f : v.facts) out[f.key] = f;
  return out;
}

TEST(StoreMetricRows, NamesAreUniqueAndEveryExpressionGroupsByInstance) {
  std::set<std::string_view> names;
  for (const StoreMetricRow& r : store_metric_rows()) {
    EXPECT_TRUE(names.insert(r.name).second) << r.name;
    EXPECT_NE(r.expression.find("instance"), std::string_view::npos) << r.name;
    EXPECT_EQ(r.expression.find("{window}") != std::string_view::npos, !r.window_default.empty())
        << r.name;
    EXPECT_FALSE(r.threshold_default.empty()) << r.name;
    EXPECT_FALSE(r.upstream.empty()) << r.name;
  }
  EXPECT_EQ(names.size(), kStoreMetricRowCount);
}

TEST(StoreMetricRows, QueriesFollowUpstreamWithTheWindowAsParameter) {
  EXPECT_EQ(store_metric_value(row("write_stall"), milliseconds(600'000)),
            "max by (instance) (delta(tikv_engine_write_stall[10m]))");
  EXPECT_EQ(store_metric_value(row("raft_log_lag"), milliseconds(30'000)),
            "histogram_quantile(0.99, sum by (le, instance) "
            "(rate(tikv_raftstore_log_lag_bucket[30s])))");
  EXPECT_EQ(store_metric_value(row("async_write_duration"), milliseconds(60'000)),
            "histogram_quantile(0.99, sum by (le, instance) "
            "(rate(tikv_storage_engine_async_request_duration_seconds_bucket{type=\"write\"}"
            "[1m])))");
  EXPECT_EQ(store_metric_value(row("memory_growth"), milliseconds(300'000)),
            "max by (instance) (process_resident_memory_bytes - "
            "min_over_time(process_resident_memory_bytes[5m]))");
  EXPECT_EQ(store_metric_value(row("worker_pending_tasks"), milliseconds(1)),
            "max by (instance) (sum by (instance, name) (tikv_worker_pending_task_total))");
  EXPECT_THROW(store_metric_value(row("write_stall"), milliseconds(0)), std::invalid_argument);
}

TEST(StoreMetricRows, CountersThatAppearOnFirstEventReadZeroForScrapedStores) {
  EXPECT_EQ(store_metric_value(row("channel_full"), milliseconds(600'000)),
            "(sum by (instance) (rate(tikv_channel_full_total[10m]))) or on (instance) "
            "0 * sum by (instance) (tikv_store_size_bytes{type=\"capacity\"})");
}

TEST(StoreMetricRows, UpstreamDefaultsAndLevels) {
  EXPECT_EQ(row("raft_log_lag").threshold_default, "5000");
  EXPECT_EQ(row("coprocessor_wait").threshold_default, "10");
  EXPECT_EQ(row("raftstore_cpu").threshold_default, "1.6");
  EXPECT_EQ(row("apply_cpu").threshold_default, "1.8");
  EXPECT_EQ(row("memory_growth").threshold_default, "5368709120");
  EXPECT_EQ(row("memory_growth").grace, std::chrono::seconds(300));
  EXPECT_EQ(row("memory_growth").level, Level::kCritical);  // emergency upstream
  EXPECT_EQ(row("gc_not_working").window_default, "24h");
  EXPECT_EQ(row("gc_not_working").direction, Direction::kBelow);
  // A day's range: its own default interval; every other row the host's.
  EXPECT_EQ(row("gc_not_working").interval, std::chrono::seconds(600));
  for (const StoreMetricRow& r : store_metric_rows()) {
    if (r.name != "gc_not_working") {
      EXPECT_EQ(r.interval, std::chrono::seconds(0)) << r.name;
    }
  }
  EXPECT_EQ(row("leader_drops").threshold_default, "-10");
  EXPECT_EQ(row("leader_drops").level, Level::kWarning);
  EXPECT_EQ(row("write_stall").grace, std::chrono::seconds(60));
}

// TiKV_raft_process_{ready,tick}_duration_secs, TiKV_scheduler_command_duration_seconds,
// and TiKV_coprocessor_request_{error,lock_error}:
// upstream's quantiles, matchers, windows and thresholds, all warnings after 1m.
TEST(StoreMetricRows, RaftProcessSchedulerCommandAndCoprocessorRowsFollowUpstream) {
  const milliseconds minute(60'000);
  const milliseconds ten_minutes(600'000);
  EXPECT_EQ(store_metric_value(row("raft_process_ready"), minute),
            "histogram_quantile(0.999, sum by (le, instance) "
            "(rate(tikv_raftstore_raft_process_duration_secs_bucket{type=\"ready\"}[1m])))");
  EXPECT_EQ(store_metric_value(row("raft_process_tick"), minute),
            "histogram_quantile(0.999, sum by (le, instance) "
            "(rate(tikv_raftstore_raft_process_duration_secs_bucket{type=\"tick\"}[1m])))");
  // In seconds, without upstream's division by 1000 (see the row).
  EXPECT_EQ(store_metric_value(row("scheduler_command_duration"), minute),
            "max by (instance) (histogram_quantile(0.99, sum by (le, instance, type) "
            "(rate(tikv_scheduler_command_duration_seconds_bucket[1m]))))");
  EXPECT_EQ(store_metric_value(row("coprocessor_request_error"), ten_minutes),
            "(sum by (instance) (increase(tikv_coprocessor_request_error"
            "{reason!=\"meet_lock\"}[10m]))) or on (instance) "
            "0 * sum by (instance) (tikv_store_size_bytes{type=\"capacity\"})");
  EXPECT_EQ(store_metric_value(row("coprocessor_lock_error"), ten_minutes),
            "(sum by (instance) (increase(tikv_coprocessor_request_error"
            "{reason=\"meet_lock\"}[10m]))) or on (instance) "
            "0 * sum by (instance) (tikv_store_size_bytes{type=\"capacity\"})");

  const std::map<std::string_view, std::pair<std::string_view, std::string_view>> defaults = {
      {"raft_process_ready", {"2", "1m"}},
      {"raft_process_tick", {"2", "1m"}},
      {"scheduler_command_duration", {"1", "1m"}},
      {"coprocessor_request_error", {"100", "10m"}},
      {"coprocessor_lock_error", {"10000", "10m"}}};
  for (const auto& [name, threshold_window] : defaults) {
    const StoreMetricRow& r = row(name);
    EXPECT_EQ(r.threshold_default, threshold_window.first) << name;
    EXPECT_EQ(r.window_default, threshold_window.second) << name;
    EXPECT_EQ(r.level, Level::kWarning) << name;
    EXPECT_EQ(r.grace, std::chrono::seconds(60)) << name;
    EXPECT_EQ(r.direction, Direction::kAbove) << name;
  }
  EXPECT_TRUE(row("raft_process_ready").nan_is_idle);
  EXPECT_TRUE(row("scheduler_command_duration").nan_is_idle);
  EXPECT_TRUE(row("coprocessor_lock_error").absent_is_zero);
}

TEST(StoreMetricEvaluation, RaftProcessReadyAtTwoSecondsIsNoViolationAboveItIs) {
  const auto result =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", 2), sample("10.0.1.12:20180", 2.5),
                             sample("10.0.1.13:20180", NAN)},
                            row("raft_process_ready"), 2, milliseconds(60'000));
  ASSERT_FALSE(result.failure);
  EXPECT_TRUE(result.unknown.empty());  // NaN: no raft ready handled in the window
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, "4");
  EXPECT_EQ(result.violations[0].message,
            "Store 4 raft process ready P99.9 2.5s exceeds threshold 2.0s");
}

TEST(StoreMetricEvaluation, CoprocessorErrorsAtTheThresholdAreNoViolation) {
  const auto result =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", 100), sample("10.0.1.12:20180", 100.4),
                             sample("10.0.1.13:20180", 0)},
                            row("coprocessor_request_error"), 100, milliseconds(600'000));
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message,
            "Store 4 coprocessor errors (all but meet_lock) over 10m 100.4 exceeds threshold "
            "100.0");
  const auto facts = facts_of(result.violations[0]);
  EXPECT_EQ(facts.at("value").value, "100.4");
  EXPECT_EQ(facts.at("threshold").value, "100");
}

TEST(StoreMetricEvaluation, ErrorsWithoutCounterOrCapacityAreUnknown) {
  // The query's `or` gives a scraped store 0; a store with neither series
  // has no sample at all.
  const auto result = evaluate_store_metric(
      healthy(), {sample("10.0.1.11:20180", 0), sample("10.0.1.12:20180", 20000)},
      row("coprocessor_lock_error"), 10000, milliseconds(600'000));
  ASSERT_EQ(result.violations.size(), 1u);
  ASSERT_EQ(result.unknown.size(), 1u);
  EXPECT_EQ(result.unknown[0].reason,
            "no tikv_coprocessor_request_error or tikv_store_size_bytes series for store 5 "
            "(instance 10.0.1.13:20180)");
}

TEST(StoreMetricEvaluation, AboveThresholdIsAViolationWithValueThresholdAndAddress) {
  const auto result =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", 1.5), sample("10.0.1.12:20180", 0.2),
                             sample("10.0.1.13:20180", 1.0)},
                            row("async_write_duration"), 1.0, milliseconds(60'000));
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(result.violations.size(), 1u);
  const Violation& v = result.violations[0];
  EXPECT_EQ(v.subject, "1");
  EXPECT_EQ(v.message, "Store 1 async write P99 1.5s exceeds threshold 1.0s");
  const auto facts = facts_of(v);
  EXPECT_EQ(facts.at("value").value, "1.5");
  EXPECT_TRUE(facts.at("value").is_number);
  EXPECT_EQ(facts.at("threshold").value, "1");
  EXPECT_EQ(facts.at("address").value, "10.0.1.11:20160");
  EXPECT_EQ(facts.at("status_address").value, "10.0.1.11:20180");
  EXPECT_EQ(result.stores_evaluated, 3u);
}

TEST(StoreMetricEvaluation, ExactlyTheThresholdIsNoViolationInEitherDirection) {
  const auto above = evaluate_store_metric(
      healthy(),
      {sample("10.0.1.11:20180", 5000), sample("10.0.1.12:20180", 5000.000000000001),
       sample("10.0.1.13:20180", 0)},
      row("raft_log_lag"), 5000, milliseconds(60'000));
  EXPECT_TRUE(above.violations.empty());
  const auto below =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", -10), sample("10.0.1.12:20180", -11),
                             sample("10.0.1.13:20180", 3)},
                            row("leader_drops"), -10, milliseconds(30'000));
  ASSERT_EQ(below.violations.size(), 1u);
  EXPECT_EQ(below.violations[0].subject, "4");
  EXPECT_EQ(below.violations[0].message,
            "Store 4 leader count change over 30s -11.0 is below threshold -10.0");
}

TEST(StoreMetricEvaluation, WindowGoesIntoTheMessage) {
  const auto result = evaluate_store_metric(
      healthy(),
      {sample("10.0.1.11:20180", 2), sample("10.0.1.12:20180", 0), sample("10.0.1.13:20180", 0)},
      row("write_stall"), 0, milliseconds(120'000));
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message,
            "Store 1 write stall growth over 2m 2.0 exceeds threshold 0.0");
}

TEST(StoreMetricEvaluation, StoreWithoutSeriesIsUnknownNeverHealthy) {
  const auto result =
      evaluate_store_metric(healthy(), {sample("10.0.1.11:20180", 0), sample("10.0.1.12:20180", 0)},
                            row("raftstore_cpu"), 1.6, milliseconds(60'000));
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(result.unknown.size(), 1u);
  EXPECT_EQ(result.unknown[0].id, 5u);
  EXPECT_EQ(result.unknown[0].reason,
            "no tikv_thread_cpu_seconds_total series for store 5 (instance 10.0.1.13:20180)");
  EXPECT_EQ(result.stores_evaluated, 2u);
}

TEST(StoreMetricEvaluation, NoSeriesAtAllFailsTheRun) {
  const auto result =
      evaluate_store_metric(healthy(), {}, row("write_stall"), 0, milliseconds(600'000));
  ASSERT_TRUE(result.failure);
  EXPECT_NE(result.failure->find("Prometheus has no tikv_engine_write_stall series"),
            std::string::npos)
      << *result.failure;
  EXPECT_TRUE(result.violations.empty());
}

TEST(StoreMetricEvaluation, IdleHistogramIsHealthyOtherNanIsUnknown) {
  const std::vector<Sample> samples = {sample("10.0.1.11:20180", NAN),
                                       sample("10.0.1.12:20180", 0.1),
                                       sample("10.0.1.13:20180", 0.1)};
  const auto idle = evaluate_store_metric(healthy(), samples, row("raft_apply_log_duration"), 1,
                                          milliseconds(60'000));
  EXPECT_TRUE(idle.unknown.empty());
  EXPECT_EQ(idle.stores_evaluated, 3u);
  const auto gauge =
      evaluate_store_metric(healthy(), samples, row("write_stall"), 0, milliseconds(60'000));
  ASSERT_EQ(gauge.unknown.size(), 1u);
  EXPECT_EQ(gauge.unknown[0].reason,
            "store 1's write stall growth over 1m is NaN, an unusable value");
}

TEST(StoreMetricEvaluation, InfinityAboveTheLastBucketIsAViolation) {
  const auto result =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", INFINITY),
                             sample("10.0.1.12:20180", -INFINITY), sample("10.0.1.13:20180", 0)},
                            row("coprocessor_wait"), 10, milliseconds(60'000));
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message,
            "Store 1 coprocessor wait P99.99 (slowest request kind) +Inf exceeds threshold "
            "10.0s");
  ASSERT_EQ(result.unknown.size(), 1u);
  EXPECT_EQ(result.unknown[0].id, 4u);
}

TEST(StoreMetricEvaluation, BelowRowsReadFractionsBesideTheirThreshold) {
  const auto result =
      evaluate_store_metric(healthy(),
                            {sample("10.0.1.11:20180", 0.9999), sample("10.0.1.12:20180", 1),
                             sample("10.0.1.13:20180", 40)},
                            row("gc_not_working"), 1, milliseconds(86'400'000));
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "Store 1 GC runs over 24h 0.9999 is below threshold 1.0");
}

// Prometheus compares: the answer holds the unhealthy stores and the
// scraped ones without a value, so that a healthy cluster answers nothing.
TEST(StoreMetricRows, QueriesAnswerOnlyTheStoresToLookAt) {
  // A quantile: beyond the threshold (NaN is idle), or scraped without two
  // samples of its +Inf bucket in the window (what rate() needs).
  EXPECT_EQ(store_metric_query(row("raft_log_lag"), milliseconds(30'000), 5000),
            "(histogram_quantile(0.99, sum by (le, instance) "
            "(rate(tikv_raftstore_log_lag_bucket[30s])))) > 5000 or on (instance) "
            "label_replace(group by (instance) (last_over_time("
            "tikv_store_size_bytes{type=\"capacity\"}[5m])) unless on (instance) "
            "(count_over_time(tikv_raftstore_log_lag_bucket{le=\"+Inf\"}[30s]) > 1), "
            "\"condition\", \"missing\", \"\", \"\")");
  // Any other value: all but the healthy ones (NaN and infinities stay).
  const std::string stall = "max by (instance) (delta(tikv_engine_write_stall[10m]))";
  EXPECT_EQ(store_metric_query(row("write_stall"), milliseconds(600'000), 0),
            "(" + stall + ") unless on (instance) (((" + stall + ") <= 0) > -Inf)" +
                " or on (instance) label_replace(group by (instance) (last_over_time("
                "tikv_store_size_bytes{type=\"capacity\"}[5m])) unless on (instance) (" +
                stall + "), \"condition\", \"missing\", \"\", \"\")");
  const std::string drops =
      "min by (instance) (delta(tikv_pd_heartbeat_tick_total{type=\"leader\"}[30s]))";
  const std::string below = store_metric_query(row("leader_drops"), milliseconds(30'000), -10);
  EXPECT_EQ(
      below.rfind("(" + drops + ") unless on (instance) (((" + drops + ") >= -10) < Inf) or ", 0),
      0u)
      << below;
  // A day of samples evaluated three times would pass the timeout: that
  // row answers every store's value, and the pack compares.
  const milliseconds day(86'400'000);
  EXPECT_EQ(store_metric_query(row("gc_not_working"), day, 1),
            store_metric_value(row("gc_not_working"), day));
  EXPECT_EQ(scraped_stores_query(),
            "group by (instance) (tikv_store_size_bytes{type=\"capacity\"})");
  EXPECT_EQ(promql_number(5368709120), "5368709120");
  EXPECT_EQ(promql_number(1.6), "1.6");
}

ScrapedStores scraped(const StoreList& list, std::vector<std::string> instances) {
  std::vector<Sample> samples;
  for (auto& instance : instances) samples.push_back(sample(std::move(instance), 1));
  return join_scraped(list, StoreIndex(list), samples);
}

TEST(StoreMetricEvaluation, FilteredAnswerJudgesTheStoresItLeavesOutByTheScrapedList) {
  const StoreList list = healthy();
  const StoreIndex index(list);
  // Store 1 beyond, store 4 healthy (left out), store 5 not scraped at all.
  const auto result = evaluate_store_metric(
      list, index, scraped(list, {"10.0.1.11:20180", "10.0.1.12:20180", "10.9.9.9:20180"}),
      {sample("10.0.1.11:20180", 3)}, row("async_write_duration"), 1, milliseconds(60'000));
  ASSERT_FALSE(result.failure);
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "Store 1 async write P99 3.0s exceeds threshold 1.0s");
  ASSERT_EQ(result.unknown.size(), 1u);
  EXPECT_EQ(result.unknown[0].id, 5u);
  EXPECT_EQ(result.stores_evaluated, 2u);

  // A scraped store that Prometheus names missing is unknown, never healthy.
  Sample missing = sample("10.0.1.12:20180", 1);
  missing.condition = "missing";
  const auto with_missing = evaluate_store_metric(
      list, index, scraped(list, {"10.0.1.11:20180", "10.0.1.12:20180", "10.0.1.13:20180"}),
      {missing}, row("raftstore_cpu"), 1.6, milliseconds(60'000));
  EXPECT_TRUE(with_missing.violations.empty());
  ASSERT_EQ(with_missing.unknown.size(), 1u);
  EXPECT_EQ(with_missing.unknown[0].reason,
            "no tikv_thread_cpu_seconds_total series for store 4 (instance 10.0.1.12:20180)");
}

TEST(StoreMetricEvaluation, NothingScrapedFailsTheRunNamingTheInstancesPrometheusHas) {
  const StoreList list = healthy();
  const auto result = evaluate_store_metric(list, StoreIndex(list), scraped(list, {"tikv-0:20180"}),
                                            {}, row("write_stall"), 0, milliseconds(600'000));
  ASSERT_TRUE(result.failure);
  EXPECT_NE(result.failure->find("e.g. 'tikv-0:20180'"), std::string::npos) << *result.failure;
}

}  // namespace
}  // namespace opr::tikv
