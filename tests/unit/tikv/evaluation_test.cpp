#include "evaluation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "fixture.h"
#include "test_support.h"

namespace opr::tikv {
namespace {

using opr::test::contains;
using test::fixture;
using test::parse_stores;

// 2025-03-10T08:30:15.087Z, the moment the mixed fixture was taken.
constexpr int64_t kMixedNowMs = 1741595415087;

using test::facts_of;
using test::subjects;

std::vector<uint64_t> unknown_ids(const MetricEvaluation& result) {
  std::vector<uint64_t> out;
  for (const UnknownStore& u : result.unknown) out.push_back(u.id);
  return out;
}

// The reason store `id` is unknown, or "" when it is not.
std::string reason_of(const MetricEvaluation& result, uint64_t id) {
  for (const UnknownStore& u : result.unknown) {
    if (u.id == id) return u.reason;
  }
  return "";
}

Sample sample(std::string instance, double value, std::string type = "") {
  return {std::move(instance), std::move(type), value};
}

// Store 1 at 10.0.1.11, 4 at .12, 5 at .13 (healthy fixture).
StoreList healthy() { return parse_stores(fixture("pd/pd_stores_healthy.json")); }

TEST(StoreUp, HealthyClusterHasNoViolation) {
  EXPECT_TRUE(evaluate_store_up(healthy(), kMixedNowMs).empty());
}

TEST(StoreUp, EveryStoreNotUpIsAViolationNamedByItsId) {
  const auto violations =
      evaluate_store_up(parse_stores(fixture("pd/pd_stores_mixed.json")), kMixedNowMs);
  std::map<std::string, std::string> messages;
  for (const auto& v : violations) messages[v.subject] = v.message;
  EXPECT_EQ(messages,
            (std::map<std::string, std::string>{{"4", "Store 4 at 10.0.2.12:20160 is Disconnected"},
                                                {"5", "Store 5 at 10.0.2.13:20160 is Down"},
                                                {"6",
                                                 "Store 6 at 10.0.2.14:20160 is Offline (being "
                                                 "removed from the cluster)"},
                                                {"7", "Store 7 at 10.0.2.15:20160 is Tombstone"}}));
}

TEST(StoreUp, OfflineIsAPlannedRemovalWithItsOwnSeverityAndTheRestKeepTheChecks) {
  const StoreList list = parse_stores(fixture("pd/pd_stores_mixed.json"));
  std::map<std::string, Severity> by_default, critical;
  for (const auto& v : evaluate_store_up(list, kMixedNowMs)) by_default[v.subject] = v.severity;
  for (const auto& v :
       evaluate_store_up(list, kMixedNowMs, {.offline_severity = Severity::kCritical}))
    critical[v.subject] = v.severity;
  // Down, Disconnected and Tombstone keep the check's configured severity.
  EXPECT_EQ(by_default, (std::map<std::string, Severity>{{"4", Severity::kConfigured},
                                                         {"5", Severity::kConfigured},
                                                         {"6", Severity::kWarning},
                                                         {"7", Severity::kConfigured}}));
  EXPECT_EQ(critical.at("6"), Severity::kCritical);
  EXPECT_EQ(critical.at("5"), Severity::kConfigured);
}

TEST(StoreUp, SeverityNamesAreTheConfigs) {
  EXPECT_EQ(parse_severity("info"), Severity::kInfo);
  EXPECT_EQ(parse_severity("warning"), Severity::kWarning);
  EXPECT_EQ(parse_severity("critical"), Severity::kCritical);
  EXPECT_FALSE(parse_severity("Critical"));
  EXPECT_FALSE(parse_severity("emergency"));
  EXPECT_FALSE(parse_severity(""));
}

TEST(StoreUp, DefaultListReportsNoTombstone) {
  const auto violations =
      evaluate_store_up(parse_stores(fixture("pd/pd_stores_mixed_default.json")), kMixedNowMs);
  EXPECT_EQ(violations.size(), 3u);
  for (const auto& v : violations) EXPECT_NE(v.subject, "7");
}

TEST(StoreUp, FactsTellWhereTheStoreIsAndHowLongItIsSilent) {
  const auto violations =
      evaluate_store_up(parse_stores(fixture("pd/pd_stores_mixed.json")), kMixedNowMs);
  const auto down = std::find_if(violations.begin(), violations.end(),
                                 [](const Violation& v) { return v.subject == "5"; });
  ASSERT_NE(down, violations.end());
  const auto facts = facts_of(*down);
  EXPECT_EQ(facts.at("address").value, "10.0.2.13:20160");
  EXPECT_EQ(facts.at("status_address").value, "10.0.2.13:20180");
  EXPECT_EQ(facts.at("state_name").value, "Down");
  EXPECT_EQ(facts.at("version").value, "8.5.1");
  EXPECT_EQ(facts.at("last_heartbeat_ts").value, "2025-03-10T15:38:04.535765981+08:00");
  // SOURCES.md: store 5's heartbeat is 52m10.6s old at the snapshot.
  EXPECT_EQ(facts.at("heartbeat_age_s").value, "3130.6");
  EXPECT_TRUE(facts.at("heartbeat_age_s").is_number);
  EXPECT_NEAR(std::stod(facts.at("capacity_bytes").value), 878.9 * 1024 * 1024 * 1024, 1);
  EXPECT_TRUE(facts.at("capacity_bytes").is_number);
  EXPECT_FALSE(facts.at("address").is_number);
}

TEST(Exceeds, IsStrictAndIgnoresRoundingNoise) {
  EXPECT_FALSE(exceeds(100.0, 100.0));
  EXPECT_FALSE(exceeds(0.1 * 1000.0, 100.0));
  EXPECT_FALSE(exceeds(100.00000000000003, 100.0));  // Prometheus' interpolation noise
  EXPECT_TRUE(exceeds(100.001, 100.0));
  EXPECT_FALSE(exceeds(99.0, 100.0));
  EXPECT_FALSE(exceeds(NAN, 100.0));
  EXPECT_TRUE(exceeds(INFINITY, 100.0));
  EXPECT_FALSE(exceeds(-INFINITY, 100.0));
  EXPECT_TRUE(exceeds(0.5, 0.0));
}

TEST(Latency, StoreAboveThresholdIsAWarningJoinedByStatusAddress) {
  const auto result =
      evaluate_latency(healthy(),
                       {sample("10.0.1.11:20180", 0.150), sample("10.0.1.12:20180", 0.005),
                        sample("10.0.1.13:20180", 0.099)},
                       {});
  ASSERT_EQ(result.violations.size(), 1u);
  const Violation& v = result.violations[0];
  EXPECT_EQ(v.subject, "1");
  EXPECT_EQ(v.message, "Store 1 P99 latency 150.0ms exceeds threshold 100.0ms");
  const auto facts = facts_of(v);
  EXPECT_EQ(facts.at("p99_ms").value, "150");
  EXPECT_EQ(facts.at("threshold_ms").value, "100");
  EXPECT_EQ(facts.at("address").value, "10.0.1.11:20160");
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.stores_with_metrics, 3u);
  EXPECT_EQ(result.stores_evaluated, 3u);
  EXPECT_FALSE(result.failure);
}

TEST(Latency, ExactlyTheThresholdIsNoViolation) {
  const auto result = evaluate_latency(
      healthy(),
      {sample("10.0.1.11:20180", 0.1), sample("10.0.1.12:20180", 0.10000000000000002),
       sample("10.0.1.13:20180", 0.1001)},
      {});
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"5"});
  EXPECT_EQ(result.violations[0].message, "Store 5 P99 latency 100.1ms exceeds threshold 100.0ms");
}

TEST(Latency, ValuesJustAboveTheThresholdPrintWithEnoughDigits) {
  const auto result = evaluate_latency(healthy(), {sample("10.0.1.11:20180", 0.10002)}, {});
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "Store 1 P99 latency 100.02ms exceeds threshold 100.0ms");
}

TEST(Latency, IdleHistogramIsUnknownButInfinityIsAViolation) {
  LatencyRule rule;
  rule.rate_window = std::chrono::seconds(90);
  const auto result = evaluate_latency(
      healthy(), {sample("10.0.1.11:20180", NAN), sample("10.0.1.12:20180", INFINITY)}, rule);
  // +Inf: the quantile lies above the largest finite bucket, a real extreme latency.
  ASSERT_EQ(subjects(result.violations), std::vector<std::string>{"4"});
  EXPECT_EQ(result.violations[0].message, "Store 4 P99 latency +Inf exceeds threshold 100.0ms");
  EXPECT_EQ(facts_of(result.violations[0]).at("p99_ms").value, "+Inf");
  EXPECT_FALSE(facts_of(result.violations[0]).at("p99_ms").is_number);
  // NaN: no requests in the window, nothing to evaluate; never healthy.
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{1, 5}));
  EXPECT_EQ(reason_of(result, 1),
            "store 1's P99 latency is NaN: no gRPC requests in the last 90s (an idle histogram), "
            "nothing to evaluate");
  EXPECT_EQ(result.stores_with_metrics, 2u);
  EXPECT_EQ(result.stores_evaluated, 1u);
  EXPECT_FALSE(result.failure);
}

TEST(Latency, MinusInfinityAndNegativeValuesAreUnknown) {
  const auto result =
      evaluate_latency(healthy(),
                       {sample("10.0.1.11:20180", -INFINITY), sample("10.0.1.12:20180", -0.002),
                        sample("10.0.1.13:20180", 0.001)},
                       {});
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{1, 4}));
  EXPECT_EQ(reason_of(result, 1), "store 1's P99 latency is -Inf, an unusable value");
  EXPECT_EQ(reason_of(result, 4), "store 4's P99 latency is -2ms, an unusable value");
  EXPECT_EQ(result.stores_evaluated, 1u);
}

TEST(Latency, ZeroIsAUsableLatency) {
  const auto result =
      evaluate_latency(healthy(),
                       {sample("10.0.1.11:20180", 0.0), sample("10.0.1.12:20180", -0.0),
                        sample("10.0.1.13:20180", 0.0)},
                       {});
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.stores_evaluated, 3u);
}

TEST(Latency, QuantileAndThresholdComeFromTheRule) {
  const auto result =
      evaluate_latency(healthy(), {sample("10.0.1.11:20180", 0.030)}, {0.999, 25, {}});
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "Store 1 P99.9 latency 30.0ms exceeds threshold 25.0ms");
  EXPECT_EQ(facts_of(result.violations[0]).count("p99.9_ms"), 1u);
}

TEST(Latency, SeriesJoinOnStatusAddressNotAddress) {
  // 20160 is the gRPC port; TiKV serves /metrics on 20180.
  const auto result = evaluate_latency(
      healthy(), {sample("10.0.1.11:20160", 0.5), sample("10.0.1.12:20180", 0.5)}, {});
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"4"});
  EXPECT_EQ(result.unmatched_series, 1u);
  EXPECT_EQ(result.unmatched_example, "10.0.1.11:20160");
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{1, 5}));
}

TEST(Latency, StoresWithoutSeriesAreUnknownNotHealthy) {
  const auto result = evaluate_latency(healthy(), {sample("10.0.1.12:20180", 0.001)}, {});
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{1, 5}));
  EXPECT_EQ(reason_of(result, 1),
            "no tikv_grpc_msg_duration_seconds series for store 1 (instance 10.0.1.11:20180)");
  EXPECT_EQ(result.stores_expected, 3u);
  EXPECT_EQ(result.stores_evaluated, 1u);
  EXPECT_FALSE(result.failure);
}

TEST(Latency, AStoreWithoutStatusAddressIsUnknownSayingSo) {
  StoreList list = healthy();
  list.stores.push_back({});
  list.stores.back().id = 8;
  list.stores.back().state_name = "Up";
  const auto result =
      evaluate_latency(list,
                       {sample("10.0.1.11:20180", 0.001), sample("10.0.1.12:20180", 0.001),
                        sample("10.0.1.13:20180", 0.001)},
                       {});
  EXPECT_EQ(unknown_ids(result), std::vector<uint64_t>{8});
  EXPECT_EQ(reason_of(result, 8),
            "no tikv_grpc_msg_duration_seconds series for store 8 (PD gives it no "
            "status_address)");
}

TEST(Latency, NoSeriesForAnyStoreFailsTheRun) {
  const auto result = evaluate_latency(healthy(), {}, {});
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(*result.failure,
            "Prometheus has no tikv_grpc_msg_duration_seconds series for any of the 3 stores; "
            "is it scraping TiKV?");
  EXPECT_TRUE(result.violations.empty());
  EXPECT_TRUE(result.unknown.empty());
}

TEST(Latency, RelabelledInstancesAreExplainedInTheFailure) {
  const auto result = evaluate_latency(healthy(), {sample("basic-tikv-0", 0.5)}, {});
  ASSERT_TRUE(result.failure);
  EXPECT_TRUE(contains(*result.failure, "e.g. 'basic-tikv-0'")) << *result.failure;
}

// mixed default: 1 Up (10.0.2.11), 4 Disconnected (.12), 5 Down (.13), 6 Offline (.14).
StoreList mixed() { return parse_stores(fixture("pd/pd_stores_mixed_default.json")); }

TEST(Latency, DisconnectedAndDownStoresAreUnknownWithOrWithoutSeries) {
  // Prometheus' rate() still answers for a store that just went silent.
  const auto result =
      evaluate_latency(mixed(),
                       {sample("10.0.2.11:20180", 0.01), sample("10.0.2.12:20180", 0.5),
                        sample("10.0.2.14:20180", 0.02)},
                       {});
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(result.violations.empty());  // store 4's 500 ms is not evaluated
  EXPECT_EQ(result.stores_expected, 2u);
  EXPECT_EQ(result.stores_evaluated, 2u);  // Offline store 6 still serves metrics
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(reason_of(result, 4), "store 4 is Disconnected: its metrics are not evaluated");
  EXPECT_EQ(reason_of(result, 5), "store 5 is Down: its metrics are not evaluated");
}

TEST(Latency, ClusterWithOnlyDownStoresFailsSayingWhy) {
  const StoreList list = parse_stores(R"({"count":2,"stores":[{"store":{"id":3,
    "address":"a:20160","status_address":"a:20180","state_name":"Down"}},{"store":{"id":2,
    "address":"b:20160","status_address":"b:20180","state_name":"Disconnected"}}]})");
  const auto result = evaluate_latency(list, {}, {});
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(*result.failure,
            "no store could be evaluated: all 2 stores are unknown: store 2 is Disconnected: its "
            "metrics are not evaluated; store 3 is Down: its metrics are not evaluated");
  EXPECT_TRUE(result.unknown.empty());
}

TEST(Latency, EveryStoreUnusableFailsTheRunSayingWhy) {
  const auto result =
      evaluate_latency(healthy(),
                       {sample("10.0.1.11:20180", NAN), sample("10.0.1.12:20180", NAN),
                        sample("10.0.1.13:20180", -INFINITY)},
                       {});
  ASSERT_TRUE(result.failure);
  EXPECT_TRUE(contains(*result.failure,
                       "no store could be evaluated: all 3 stores are unknown: "
                       "store 1's P99 latency is NaN"))
      << *result.failure;
  EXPECT_TRUE(contains(*result.failure, "store 5's P99 latency is -Inf")) << *result.failure;
}

TEST(Latency, NoSeriesForAnyRunningStoreNamesTheOthersAsNotRunning) {
  const auto result = evaluate_latency(mixed(), {}, {});
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(*result.failure,
            "Prometheus has no tikv_grpc_msg_duration_seconds series for any of the 2 Up or "
            "Offline stores; is it scraping TiKV?");
}

TEST(Latency, AListWithoutStoresFailsTheRun) {
  const auto empty = evaluate_latency(StoreList{}, {}, {});
  ASSERT_TRUE(empty.failure);
  EXPECT_EQ(*empty.failure, "PD lists no stores; a cluster without stores is not monitored");
  const StoreList removed = parse_stores(R"({"count":1,"stores":[{"store":{"id":7,
    "status_address":"a:20180","state_name":"Tombstone"}}]})");
  const auto only_removed = evaluate_disk(removed, {sample("a:20180", 1, "capacity")}, 70);
  ASSERT_TRUE(only_removed.failure);
  EXPECT_EQ(*only_removed.failure,
            "PD lists only Tombstone (removed) stores; a cluster without stores is not monitored");
}

Store store(uint64_t id, std::string status_address, std::string state) {
  Store s;
  s.id = id;
  s.status_address = std::move(status_address);
  s.state_name = std::move(state);
  return s;
}

TEST(Latency, TombstoneStoresAreNoSubjectAtAll) {
  // store_up with include_tombstone lists removed stores; latency reuses the list.
  StoreList list;
  list.stores = {store(2, "old:20180", "Tombstone"), store(9, "new:20180", "Up")};
  const auto result =
      evaluate_latency(list, {sample("new:20180", 0.5), sample("old:20180", 0.5)}, {});
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"9"});
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.stores_expected, 1u);
}

TEST(Latency, ViolationsAndUnknownStoresComeInStoreIdOrder) {
  std::string body = R"({"count":12,"stores":[)";
  for (int id = 12; id >= 1; --id) {
    body += std::string(id == 12 ? "" : ",") + R"({"store":{"id":)" + std::to_string(id) +
            R"(,"status_address":"h)" + std::to_string(id) + R"(:20180","state_name":")" +
            (id % 3 == 0 ? "Down" : "Up") + R"("}})";
  }
  body += "]}";
  std::vector<Sample> samples;
  for (int id = 1; id <= 12; ++id) {
    if (id != 11) samples.push_back(sample(std::string("h") + std::to_string(id) + ":20180", 1));
  }
  const auto result = evaluate_latency(parse_stores(body), samples, {});
  EXPECT_EQ(subjects(result.violations),
            (std::vector<std::string>{"1", "2", "4", "5", "7", "8", "10"}));
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{3, 6, 9, 11, 12}));
}

TEST(Latency, AStoreReusingARemovedStoresAddressGetsItsSeries) {
  // Store 9 replaced Tombstone store 2 on the same host, in either order in PD's list.
  for (const bool tombstone_first : {true, false}) {
    StoreList list;
    list.stores = {store(2, "h:20180", "Tombstone"), store(9, "h:20180", "Up")};
    if (!tombstone_first) std::swap(list.stores[0], list.stores[1]);
    const auto result = evaluate_latency(list, {sample("h:20180", 0.5)}, {});
    EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"9"}) << tombstone_first;
    EXPECT_TRUE(result.unknown.empty());
  }
}

TEST(Latency, EveryOneOfTenThousandStoresIsJoinedToItsSeries) {
  StoreList list;
  std::vector<Sample> samples;
  for (uint64_t id = 1; id <= 10'000; ++id) {
    const std::string address =
        "10.1." + std::to_string(id / 256) + "." + std::to_string(id % 256) + ":20180";
    list.stores.push_back(store(id, address, "Up"));
    samples.push_back(sample(address, id % 1000 == 0 ? 0.2 : 0.01));
  }
  samples.push_back(sample("10.9.9.9:20180", 1));  // a series of no store
  const auto result = evaluate_latency(list, samples, {});
  EXPECT_EQ(result.stores_with_metrics, 10'000u);
  EXPECT_EQ(result.stores_evaluated, 10'000u);
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.unmatched_series, 1u);
  EXPECT_EQ(result.violations.size(), 10u);
  EXPECT_EQ(result.violations.front().subject, "1000");
}

std::vector<Sample> disk(const std::string& instance, double capacity, double available) {
  return {sample(instance, capacity, "capacity"), sample(instance, available, "available")};
}

std::vector<Sample> concat(std::vector<std::vector<Sample>> parts) {
  std::vector<Sample> out;
  for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

TEST(DiskSpace, UsageAboveThresholdIsAWarningWithItsSizes) {
  const auto result =
      evaluate_disk(healthy(),
                    concat({disk("10.0.1.11:20180", 1000, 200), disk("10.0.1.12:20180", 1000, 700),
                            disk("10.0.1.13:20180", 1000, 300)}),
                    70);
  ASSERT_EQ(subjects(result.violations), std::vector<std::string>{"1"});
  EXPECT_EQ(result.violations[0].message, "Store 1 disk usage 80.0% exceeds threshold 70.0%");
  const auto facts = facts_of(result.violations[0]);
  EXPECT_EQ(facts.at("used_percent").value, "80");
  EXPECT_EQ(facts.at("capacity_bytes").value, "1000");
  EXPECT_EQ(facts.at("available_bytes").value, "200");
  EXPECT_EQ(facts.at("address").value, "10.0.1.11:20160");
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.stores_evaluated, 3u);
}

TEST(DiskSpace, ExactlyTheThresholdIsNoViolation) {
  // 1.718 TiB with exactly 30 % free: (c - a) / c * 100 is 70 give or take one ulp.
  const double capacity = 1888998943604.0;
  const auto result = evaluate_disk(
      healthy(),
      concat({disk("10.0.1.11:20180", capacity, capacity * 0.3), disk("10.0.1.12:20180", 10, 3)}),
      70);
  EXPECT_TRUE(result.violations.empty());
}

TEST(DiskSpace, FullAndEmptyDisksAreEvaluated) {
  const auto result =
      evaluate_disk(healthy(),
                    concat({disk("10.0.1.11:20180", 1000, 0), disk("10.0.1.12:20180", 1000, 1000),
                            disk("10.0.1.13:20180", 1000, 500)}),
                    70);
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"1"});
  EXPECT_TRUE(result.unknown.empty());
}

TEST(DiskSpace, ZeroCapacityIsUnknown) {
  const auto result = evaluate_disk(
      healthy(), concat({disk("10.0.1.11:20180", 0, 0), disk("10.0.1.12:20180", 100, 50)}), 70);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_FALSE(result.failure);
  EXPECT_EQ(reason_of(result, 1),
            "store 1's tikv_store_size_bytes capacity is 0 bytes: there is no usage to measure");
}

TEST(DiskSpace, AStoreWithOnlyOneOfCapacityAndAvailableIsUnknown) {
  const auto result = evaluate_disk(healthy(),
                                    concat({disk("10.0.1.11:20180", 1000, 100),
                                            {sample("10.0.1.12:20180", 1000, "capacity")},
                                            {sample("10.0.1.13:20180", 10, "available")}}),
                                    70);
  EXPECT_EQ(subjects(result.violations), std::vector<std::string>{"1"});
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(reason_of(result, 4),
            "store 4 has a tikv_store_size_bytes capacity series but no available one");
  EXPECT_EQ(reason_of(result, 5),
            "store 5 has a tikv_store_size_bytes available series but no capacity one");
  EXPECT_EQ(result.stores_with_metrics, 3u);
}

TEST(DiskSpace, NonFiniteAndNegativeValuesAreUnknownNamingTheValue) {
  struct Case {
    double capacity, available;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {NAN, 10, "store 1's tikv_store_size_bytes capacity is NaN, an unusable value"},
      {INFINITY, 10, "store 1's tikv_store_size_bytes capacity is +Inf, an unusable value"},
      {-1000, 10, "store 1's tikv_store_size_bytes capacity is -1000 bytes, an unusable value"},
      {1000, NAN, "store 1's tikv_store_size_bytes available is NaN, an unusable value"},
      {1000, -INFINITY, "store 1's tikv_store_size_bytes available is -Inf, an unusable value"},
      {1000, -1, "store 1's tikv_store_size_bytes available is -1 bytes, an unusable value"},
      {1000, 1100,
       "store 1's tikv_store_size_bytes available (1100 bytes) is more than its capacity (1000 "
       "bytes), an unusable pair"},
  };
  for (const Case& c : cases) {
    const auto result =
        evaluate_disk(healthy(),
                      concat({disk("10.0.1.11:20180", c.capacity, c.available),
                              disk("10.0.1.12:20180", 10, 9), disk("10.0.1.13:20180", 10, 9)}),
                      70);
    EXPECT_TRUE(result.violations.empty()) << c.reason;
    EXPECT_EQ(unknown_ids(result), std::vector<uint64_t>{1}) << c.reason;
    EXPECT_EQ(reason_of(result, 1), c.reason);
    EXPECT_EQ(result.stores_evaluated, 2u);
  }
}

TEST(DiskSpace, DisconnectedAndDownStoresAreUnknownWithOrWithoutSeries) {
  const auto result =
      evaluate_disk(mixed(),
                    concat({disk("10.0.2.11:20180", 1000, 500), disk("10.0.2.12:20180", 1000, 10),
                            disk("10.0.2.14:20180", 1000, 500)}),
                    70);
  EXPECT_TRUE(result.violations.empty());  // store 4's 99 % is not evaluated
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(reason_of(result, 4), "store 4 is Disconnected: its metrics are not evaluated");
  EXPECT_EQ(reason_of(result, 5), "store 5 is Down: its metrics are not evaluated");
  EXPECT_EQ(result.stores_with_metrics, 3u);
}

TEST(DiskSpace, NoSeriesIsUnknownAndEveryStoreUnknownFailsTheRun) {
  const auto some = evaluate_disk(healthy(), concat({disk("10.0.1.11:20180", 1000, 500)}), 70);
  EXPECT_EQ(reason_of(some, 4),
            "no tikv_store_size_bytes series for store 4 (instance 10.0.1.12:20180)");
  const auto none = evaluate_disk(
      healthy(),
      concat({disk("10.0.1.11:20180", 0, 0), {sample("10.0.1.12:20180", 1000, "capacity")}}), 70);
  ASSERT_TRUE(none.failure);
  EXPECT_EQ(*none.failure,
            "no store could be evaluated: all 3 stores are unknown: store 1's "
            "tikv_store_size_bytes capacity is 0 bytes: there is no usage to measure; store 4 "
            "has a tikv_store_size_bytes capacity series but no available one; no "
            "tikv_store_size_bytes series for store 5 (instance 10.0.1.13:20180)");
}

TEST(DiskSpace, NoSeriesForAnyStoreFailsTheRun) {
  const auto result = evaluate_disk(healthy(), {}, 70);
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(*result.failure,
            "Prometheus has no tikv_store_size_bytes series for any of the 3 stores; is it "
            "scraping TiKV?");
}

TEST(DiskSpace, OtherTypesAreIgnored) {
  const auto result = evaluate_disk(healthy(),
                                    concat({disk("10.0.1.11:20180", 1000, 500),
                                            {sample("10.0.1.11:20180", 990, "used")},
                                            {sample("10.0.1.12:20180", 990, "used")}}),
                                    70);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(reason_of(result, 4),
            "no tikv_store_size_bytes series for store 4 (instance 10.0.1.12:20180)");
}

TEST(DescribeUnknown, ListsTheFirstReasonsAndCountsTheRest) {
  const std::vector<UnknownStore> unknown = {{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}};
  EXPECT_EQ(describe_unknown(unknown, 2), "a; b; and 2 more");
  EXPECT_EQ(describe_unknown(unknown, 4), "a; b; c; d");
  EXPECT_EQ(describe_unknown({}, 3), "");
}

}  // namespace
}  // namespace opr::tikv
