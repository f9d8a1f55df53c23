// Keepers of leases on a real PostgreSQL: they split the targets fairly,
// never both hold one, take over what a stopped or silent host held, and
// let the one that holds the chores' lease alone run them.
#include "cluster/lease_keeper.h"

#include <gtest/gtest.h>

#include <soci/soci.h>

#include "cluster/cluster_status.h"
#include "postgres_server.h"
#include "test_support.h"
#include "tickets/ticket_store.h"

namespace opr::cluster {
namespace {

using namespace std::chrono_literals;
using opr::test::PostgresTestDatabase;

std::vector<std::string> names(int count) {
  std::vector<std::string> result;
  for (int i = 0; i < count; ++i) result.push_back("t" + std::to_string(10 + i));
  return result;
}

class LeaseKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const PostgresTestDatabase postgres = opr::test::postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    uri_ = postgres.socket_uri;
    tickets::TicketStore::open(uri_);  // the schema
    target_ = tickets::parse_connection(uri_);
  }

  std::unique_ptr<LeaseKeeper> keeper(const std::string& host, std::chrono::milliseconds lease,
                                      int targets = 6) {
    return std::make_unique<LeaseKeeper>(target_, host, lease, names(targets));
  }

  std::size_t owned_by(LeaseKeeper& keeper, int targets = 6) {
    std::size_t owned = 0;
    for (const auto& name : names(targets)) owned += keeper.owns(name) ? 1 : 0;
    return owned;
  }

  std::string uri_;
  tickets::ConnectionTarget target_;
};

TEST_F(LeaseKeeperTest, TwoHostsSplitTheTargetsAndNeverBothHoldOne) {
  auto a = keeper("a", 60s);
  a->start();
  EXPECT_EQ(owned_by(*a), 6u);  // alone: all of them
  EXPECT_TRUE(a->runs_chores());
  auto b = keeper("b", 60s);
  b->start();  // a holds everything: nothing free yet
  EXPECT_EQ(owned_by(*b), 0u);
  a->renew();  // two live hosts: a keeps its share and frees the rest
  b->renew();
  EXPECT_EQ(owned_by(*a), 3u);
  EXPECT_EQ(owned_by(*b), 3u);
  for (const auto& name : names(6)) EXPECT_NE(a->owns(name), b->owns(name)) << name;
  EXPECT_FALSE(b->runs_chores());  // one host runs the chores

  const auto sql = tickets::connect(target_);
  const ClusterStatus status = read_cluster_status(*sql, names(7));
  ASSERT_EQ(status.hosts.size(), 2u);
  for (const auto& host : status.hosts) {
    EXPECT_TRUE(host.live);
    EXPECT_EQ(host.targets, 3u);
  }
  ASSERT_EQ(status.targets.size(), 7u);
  EXPECT_TRUE(status.targets.back().host.empty());  // t16 is in no host's config
}

TEST_F(LeaseKeeperTest, AHostThatStopsHandsItsTargetsOverAtTheNextRenewal) {
  auto a = keeper("a", 60s);
  auto b = keeper("b", 60s);
  a->start();
  b->start();
  a->renew();
  b->renew();
  std::vector<std::string> taken;
  b->on_acquired([&](std::vector<std::string> targets) { taken = std::move(targets); });
  a->stop();
  b->renew();
  EXPECT_EQ(owned_by(*b), 6u);
  EXPECT_EQ(taken.size(), 3u);
  EXPECT_TRUE(b->runs_chores());
}

TEST_F(LeaseKeeperTest, ASilentHostsLeasesAreTakenOnlyOnceTheyExpire) {
  // A host killed with -9 gives nothing up: its lease of t10 runs on for a
  // second by the database's clock.
  const auto sql = tickets::connect(target_);
  *sql << "INSERT INTO target_leases (target, host, since, expires_at) VALUES ('t10', 'gone', 0,"
          " (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT + 1000)";
  auto b = keeper("b", 1500ms);
  b->start();
  EXPECT_FALSE(b->owns("t10"));  // still gone's
  EXPECT_EQ(owned_by(*b), 5u);
  EXPECT_TRUE(opr::test::wait_until(
      [&] {
        b->renew();
        return b->owns("t10");
      },
      10s, 100ms));
}

TEST_F(LeaseKeeperTest, ARunStartsOnlyWhenTheLeaseOutlivesIt) {
  auto a = keeper("a", 3000ms);
  a->start();
  EXPECT_TRUE(a->begin_run("t10", 1000ms));
  a->end_run("t10");
  EXPECT_FALSE(a->begin_run("t10", 5000ms));  // longer than the lease
  EXPECT_FALSE(a->begin_run("t99", 0ms));     // not a configured target
}

TEST_F(LeaseKeeperTest, AHostOverItsShareKeepsATargetThatIsRunning) {
  auto a = keeper("a", 60s, 2);
  a->start();
  ASSERT_TRUE(a->begin_run("t10", 1s));
  ASSERT_TRUE(a->begin_run("t11", 1s));
  auto b = keeper("b", 60s, 2);
  b->start();
  a->renew();  // share 1, but both run: neither is given up mid-run
  EXPECT_TRUE(a->owns("t10"));
  EXPECT_TRUE(a->owns("t11"));
  a->end_run("t11");
  a->renew();
  EXPECT_TRUE(a->owns("t10"));
  EXPECT_FALSE(a->owns("t11"));
  b->renew();
  EXPECT_TRUE(b->owns("t11"));
  a->end_run("t10");
}

}  // namespace
}  // namespace opr::cluster
