// store_slow (evaluate_store_slow): PD's status.slow_score per store, on the
// real fixtures and on crafted lists.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "evaluation.h"
#include "fixture.h"
#include "test_support.h"

namespace opr::tikv {
namespace {

using opr::test::contains;
using test::fixture;
using test::parse_stores;

std::map<std::string, Fact> facts_of(const Violation& v) {
  std::map<std::string, Fact> out;
  for (const Fact& f : v.facts) out[f.key] = f;
  return out;
}

std::vector<std::string> subjects(const MetricEvaluation& result) {
  std::vector<std::string> out;
  for (const Violation& v : result.violations) out.push_back(v.subject);
  return out;
}

std::vector<uint64_t> unknown_ids(const MetricEvaluation& result) {
  std::vector<uint64_t> out;
  for (const UnknownStore& u : result.unknown) out.push_back(u.id);
  return out;
}

Store store(uint64_t id, uint64_t slow_score, std::string state = "Up") {
  Store s;
  s.id = id;
  s.address = "10.0.1." + std::to_string(10 + id) + ":20160";
  s.status_address = "10.0.1." + std::to_string(10 + id) + ":20180";
  s.state_name = std::move(state);
  s.slow_score = slow_score;
  return s;
}

StoreList list_of(std::vector<Store> stores) { return StoreList{std::move(stores)}; }

TEST(StoreSlow, HealthyFixtureHasEveryStoreEvaluatedAndNoViolation) {
  const MetricEvaluation result =
      evaluate_store_slow(parse_stores(fixture("pd/pd_stores_healthy.json")), {});
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_TRUE(result.unknown.empty());
  EXPECT_EQ(result.stores_evaluated, 3u);
  EXPECT_EQ(result.stores_with_metrics, 3u);
}

TEST(StoreSlow, MixedFixtureEvaluatesUpAndOfflineAndLeavesStoppedStoresUnknown) {
  // 1 Up, 6 Offline: evaluated; 4 Disconnected, 5 Down: their score is the
  // last heartbeat's, unknown; 7 Tombstone: no subject.
  const MetricEvaluation result =
      evaluate_store_slow(parse_stores(fixture("pd/pd_stores_mixed.json")), {});
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(result.violations.empty());
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(result.stores_evaluated, 2u);
  EXPECT_EQ(result.stores_expected, 2u);
}

TEST(StoreSlow, AScoreFromTheThresholdOnIsACriticalViolationWithItsFacts) {
  const MetricEvaluation result = evaluate_store_slow(
      list_of({store(1, 1), store(3, 95), store(2, 79), store(4, 100)}), {.threshold = 80});
  EXPECT_EQ(subjects(result), (std::vector<std::string>{"3", "4"}));
  const Violation& v = result.violations[0];
  EXPECT_EQ(v.message, "Store 3 at 10.0.1.13:20160 is slow (PD's slow score 95, slow from 80)");
  EXPECT_EQ(v.severity, Severity::kConfigured);
  const auto facts = facts_of(v);
  EXPECT_EQ(facts.at("slow_score").value, "95");
  EXPECT_TRUE(facts.at("slow_score").is_number);
  EXPECT_EQ(facts.at("threshold").value, "80");
  EXPECT_EQ(facts.at("address").value, "10.0.1.13:20160");
  EXPECT_EQ(facts.at("status_address").value, "10.0.1.13:20180");
  EXPECT_EQ(facts.at("state_name").value, "Up");
  EXPECT_EQ(result.stores_evaluated, 4u);
}

TEST(StoreSlow, ExactlyTheThresholdIsSlowAsPdCountsIt) {
  // PD: IsSlow() is slow_score >= slowStoreThreshold (80).
  EXPECT_EQ(subjects(evaluate_store_slow(list_of({store(1, 80)}), {.threshold = 80})),
            (std::vector<std::string>{"1"}));
  EXPECT_TRUE(evaluate_store_slow(list_of({store(1, 79)}), {.threshold = 80}).violations.empty());
  EXPECT_TRUE(evaluate_store_slow(list_of({store(1, 95)}), {.threshold = 96}).violations.empty());
  EXPECT_EQ(evaluate_store_slow(list_of({store(1, 1)}), {.threshold = 1}).violations.size(), 1u);
}

TEST(StoreSlow, AStoreWithoutAScoreIsUnknownNeverHealthy) {
  const MetricEvaluation result =
      evaluate_store_slow(list_of({store(1, 1), store(2, 0), store(3, 0, "Offline")}), {});
  EXPECT_FALSE(result.failure);
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(result.unknown[0].reason, "PD gives store 2 no slow score (status.slow_score)");
  EXPECT_EQ(result.stores_evaluated, 1u);
}

TEST(StoreSlow, StoppedStoresAreUnknownWhateverTheirLastScore) {
  const MetricEvaluation result =
      evaluate_store_slow(list_of({store(1, 1), store(2, 95, "Disconnected"), store(3, 100, "Down"),
                                   store(4, 99, "Tombstone"), store(5, 90, "Offline")}),
                          {});
  EXPECT_EQ(subjects(result), (std::vector<std::string>{"5"}));
  EXPECT_EQ(unknown_ids(result), (std::vector<uint64_t>{2, 3}));
  EXPECT_TRUE(contains(result.unknown[0].reason, "store 2 is Disconnected"))
      << result.unknown[0].reason;
}

TEST(StoreSlow, NoScoreOnAnyRunningStoreFailsTheRun) {
  const MetricEvaluation result =
      evaluate_store_slow(list_of({store(1, 0), store(2, 0, "Offline"), store(3, 95, "Down")}), {});
  ASSERT_TRUE(result.failure);
  EXPECT_EQ(*result.failure,
            "PD's store list gives none of the 2 Up or Offline stores a slow score "
            "(status.slow_score); is PD too old to report one?");
  EXPECT_TRUE(result.violations.empty());
  EXPECT_TRUE(result.unknown.empty());
}

TEST(StoreSlow, OnlyStoppedOrNoStoresFailsTheRun) {
  const MetricEvaluation down = evaluate_store_slow(list_of({store(1, 1, "Down")}), {});
  ASSERT_TRUE(down.failure);
  EXPECT_TRUE(contains(*down.failure, "no store could be evaluated")) << *down.failure;
  EXPECT_TRUE(down.unknown.empty());
  const MetricEvaluation none = evaluate_store_slow(list_of({}), {});
  ASSERT_TRUE(none.failure);
  EXPECT_TRUE(contains(*none.failure, "PD lists no stores")) << *none.failure;
  const MetricEvaluation removed = evaluate_store_slow(list_of({store(1, 1, "Tombstone")}), {});
  ASSERT_TRUE(removed.failure);
  EXPECT_TRUE(contains(*removed.failure, "only Tombstone")) << *removed.failure;
}

TEST(StoreSlow, AStoreWithoutAddressIsNamedByItsIdAlone) {
  Store s = store(7, 90);
  s.address.clear();
  const MetricEvaluation result = evaluate_store_slow(list_of({s}), {});
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "Store 7 is slow (PD's slow score 90, slow from 80)");
}

}  // namespace
}  // namespace opr::tikv
