// The status-address index that the pack builds once per PD store list and
// shares between every check joining series to it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "evaluation.h"
#include "fixture.h"
#include "store_index.h"
#include "store_metric_rows.h"

namespace opr::tikv {
namespace {

Store store(uint64_t id, std::string status_address, std::string state) {
  Store s;
  s.id = id;
  s.status_address = std::move(status_address);
  s.state_name = std::move(state);
  return s;
}

TEST(StoreIndex, FindsEachStoreByStatusAddress) {
  StoreList list;
  for (uint64_t id = 1; id <= 1000; ++id) {
    list.stores.push_back(store(
        id, "10.0." + std::to_string(id / 256) + "." + std::to_string(id % 256) + ":20180", "Up"));
  }
  const StoreIndex index(list);
  EXPECT_EQ(index.stores(), 1000u);
  for (size_t i = 0; i < list.stores.size(); ++i)
    EXPECT_EQ(index.find(list.stores[i].status_address), i) << list.stores[i].status_address;
  EXPECT_EQ(index.find("10.0.0.1:20160"), std::nullopt);  // the gRPC port is not the status one
  EXPECT_EQ(index.find(""), std::nullopt);
}

TEST(StoreIndex, AStoreWithoutStatusAddressIsNotFound) {
  StoreList list;
  list.stores = {store(1, "", "Up"), store(2, "b:20180", "Up")};
  const StoreIndex index(list);
  EXPECT_EQ(index.find(""), std::nullopt);
  EXPECT_EQ(index.find("b:20180"), 1u);
}

TEST(StoreIndex, TheStoreThatIsNotTombstoneWinsAnAddress) {
  StoreList list;
  list.stores = {store(2, "h:20180", "Tombstone"), store(9, "h:20180", "Up")};
  EXPECT_EQ(StoreIndex(list).find("h:20180"), 1u);
  list.stores = {store(9, "h:20180", "Up"), store(2, "h:20180", "Tombstone")};
  EXPECT_EQ(StoreIndex(list).find("h:20180"), 0u);
}

// One index shared by several evaluations gives each exactly what an index
// of its own gives.
TEST(StoreIndex, SharedBetweenChecksItChangesNoResult) {
  const StoreList list = test::parse_stores(test::fixture("pd/pd_stores_mixed.json"));
  const StoreIndex index(list);
  std::vector<Sample> samples;
  for (const Store& s : list.stores) samples.push_back({s.status_address, "", 1.5});
  samples.push_back({"stranger:20180", "", 9});
  const auto same = [](const MetricEvaluation& a, const MetricEvaluation& b) {
    ASSERT_EQ(a.violations.size(), b.violations.size());
    for (size_t i = 0; i < a.violations.size(); ++i) {
      EXPECT_EQ(a.violations[i].subject, b.violations[i].subject);
      EXPECT_EQ(a.violations[i].message, b.violations[i].message);
    }
    ASSERT_EQ(a.unknown.size(), b.unknown.size());
    for (size_t i = 0; i < a.unknown.size(); ++i)
      EXPECT_EQ(a.unknown[i].reason, b.unknown[i].reason);
    EXPECT_EQ(a.unmatched_series, b.unmatched_series);
    EXPECT_EQ(a.stores_evaluated, b.stores_evaluated);
    EXPECT_EQ(a.failure, b.failure);
  };
  same(evaluate_latency(list, index, samples, {}), evaluate_latency(list, samples, {}));
  for (const StoreMetricRow& row : store_metric_rows()) {
    const std::chrono::milliseconds window(60'000);
    same(evaluate_store_metric(list, index, join_scraped(list, index, samples), samples, row, 1,
                               window),
         evaluate_store_metric(list, samples, row, 1, window));
  }
  std::vector<Sample> disk;
  for (const Store& s : list.stores) {
    disk.push_back({s.status_address, "capacity", 1000});
    disk.push_back({s.status_address, "available", 100});
  }
  same(evaluate_disk(list, index, disk, 70), evaluate_disk(list, disk, 70));
}

}  // namespace
}  // namespace opr::tikv
