// A target that moves to another host keeps its state, because the state
// is in the database: two stores on one PostgreSQL database stand for the
// two hosts. And a host writes a target's results only while it holds the
// target's lease.
#include <gtest/gtest.h>

#include <soci/soci.h>

#include "cluster/lease_keeper.h"
#include "postgres_server.h"
#include "store_fixture.h"
#include "test_support.h"
#include "tickets/lease_fence.h"
#include "tickets/ticket_store.h"

namespace opr::cluster {
namespace {

using namespace std::chrono_literals;
using tickets::test::at_seconds;
using tickets::test::failure;
using tickets::test::run;
using tickets::test::violation;

class HandoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const opr::test::PostgresTestDatabase postgres = opr::test::postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    uri_ = postgres.socket_uri;
    first_ = tickets::TicketStore::open(uri_);
    second_ = tickets::TicketStore::open(uri_);
  }

  std::string uri_;
  std::unique_ptr<tickets::TicketStore> first_;   // the host the target leaves
  std::unique_ptr<tickets::TicketStore> second_;  // the host that takes it over
};

TEST_F(HandoverTest, AViolationKeepsItsGraceOnTheNextHost) {
  auto seen =
      first_->apply_success(run("db", "disk", at_seconds(0), {violation("7", "full", 60s)}));
  EXPECT_EQ(seen.pending, 1);
  // The next host sees it 30 s later: still inside the grace that began on
  // the first host, not a new one.
  seen = second_->apply_success(run("db", "disk", at_seconds(30), {violation("7", "full", 60s)}));
  EXPECT_EQ(seen.pending, 1);
  EXPECT_EQ(seen.opened, 0);
  seen = second_->apply_success(run("db", "disk", at_seconds(61), {violation("7", "full", 60s)}));
  EXPECT_EQ(seen.opened, 1);
  const auto tickets = second_->list({});
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0].first_seen_at, at_seconds(0));
}

TEST_F(HandoverTest, AFailureStreakGoesOnCountingOnTheNextHost) {
  first_->apply_failure(failure("db", "disk", "timeout", at_seconds(0)));
  first_->apply_failure(failure("db", "disk", "timeout", at_seconds(30)));
  const auto third = second_->apply_failure(failure("db", "disk", "timeout", at_seconds(60)));
  EXPECT_EQ(third.consecutive_failures, 3);
  EXPECT_EQ(third.opened, 1);  // the :failed ticket at the threshold of 3
}

TEST_F(HandoverTest, ResultsAreWrittenOnlyUnderTheTargetsLease) {
  const tickets::ConnectionTarget target = tickets::parse_connection(uri_);
  LeaseKeeper keeper(target, "b", 60s, {"db"});
  keeper.start();
  second_->fence_results("b");
  EXPECT_EQ(second_->apply_success(run("db", "disk", at_seconds(0), {violation("7")})).opened, 1);

  // Another host, which never held the lease (or lost it), writes nothing.
  first_->fence_results("a");
  EXPECT_THROW(first_->apply_success(run("db", "disk", at_seconds(30), {})), tickets::LeaseLost);
  EXPECT_THROW(first_->apply_failure(failure("db", "disk", "x", at_seconds(30))),
               tickets::LeaseLost);
  ASSERT_EQ(second_->list({}).size(), 1u);  // not resolved by the stale host
  EXPECT_FALSE(second_->list({})[0].resolved_at.has_value());

  keeper.stop();  // "b" gives its lease up: its own writes stop too
  EXPECT_THROW(second_->apply_success(run("db", "disk", at_seconds(60), {})), tickets::LeaseLost);
}

}  // namespace
}  // namespace opr::cluster
