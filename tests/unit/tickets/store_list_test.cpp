// Listing tickets: newest first, filters, limits.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

class ListTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    // Opened in this order: tikv/store_up/1, tikv/store_up/2, tikv/latency/1, pd/leader/x.
    store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
    store_->apply_success(
        run("tikv", "store_up", at_seconds(10), {violation("1"), violation("2")}));
    store_->apply_success(run("tikv", "latency", at_seconds(20), {violation("1")}));
    store_->apply_success(run("pd", "leader", at_seconds(30), {violation("x")}));
    store_->acknowledge(open_ticket("tikv/store_up/2").id, "alice", "");
    store_->resolve(open_ticket("tikv/store_up/1").id, "alice", "");
  }

  std::vector<std::string> keys(const ListFilter& filter) {
    std::vector<std::string> keys;
    for (const auto& ticket : store_->list(filter)) keys.push_back(ticket.violation_key);
    return keys;
  }
};
OPR_STORE_BACKENDS(ListTest);

TEST_P(ListTest, NonResolvedNewestFirstByDefault) {
  EXPECT_EQ(keys({}),
            (std::vector<std::string>{"pd/leader/x", "tikv/latency/1", "tikv/store_up/2"}));
}

TEST_P(ListTest, AllIncludesResolved) {
  ListFilter filter;
  filter.include_resolved = true;
  EXPECT_EQ(keys(filter), (std::vector<std::string>{"pd/leader/x", "tikv/latency/1",
                                                    "tikv/store_up/2", "tikv/store_up/1"}));
}

TEST_P(ListTest, ByStatus) {
  ListFilter filter;
  filter.statuses = {Status::acknowledged, Status::resolved};
  EXPECT_EQ(keys(filter), (std::vector<std::string>{"tikv/store_up/2", "tikv/store_up/1"}));
}

TEST_P(ListTest, ByTargetAndCheck) {
  ListFilter filter;
  filter.target = "tikv";
  EXPECT_EQ(keys(filter), (std::vector<std::string>{"tikv/latency/1", "tikv/store_up/2"}));
  filter.check = "store_up";
  filter.include_resolved = true;
  EXPECT_EQ(keys(filter), (std::vector<std::string>{"tikv/store_up/2", "tikv/store_up/1"}));
}

TEST_P(ListTest, Limit) {
  ListFilter filter;
  filter.limit = 2;
  EXPECT_EQ(keys(filter), (std::vector<std::string>{"pd/leader/x", "tikv/latency/1"}));
}

TEST_P(ListTest, CountOpen) { EXPECT_EQ(store_->count_open(), 3); }

}  // namespace
}  // namespace opr::tickets::test
