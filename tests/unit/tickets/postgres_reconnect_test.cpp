// A PostgreSQL ticket database whose server ends the monitor's session (a
// restart, a failover, an administrator's pg_terminate_backend, or the idle
// in-transaction timeout ending a frozen host's transaction): the call that
// meets the dead session fails, and the next one connects again, so the
// monitor goes on writing without a restart. Against the test binary's
// real server.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include <soci/soci.h>

#include "postgres_server.h"
#include "store_fixture.h"
#include "tickets/connection.h"
#include "tickets/write_transaction.h"

namespace opr::tickets::test {
namespace {

class PostgresReconnect : public ::testing::Test {
 protected:
  void SetUp() override {
    const opr::test::PostgresTestDatabase postgres = opr::test::postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    server_ = postgres.server;
    database_ = postgres.name;
    uri_ = postgres.socket_uri;
  }
  // Ends every other session on the test's database, as a server restart does.
  void end_sessions() const {
    server_->psql(database_,
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                      database_ + "' AND pid <> pg_backend_pid()");
  }

  opr::test::PostgresServer* server_ = nullptr;
  std::string database_;
  std::string uri_;
};

TEST_F(PostgresReconnect, TheCallAfterALostSessionConnectsAgainAndNothingIsLost) {
  auto store = TicketStore::open(uri_);
  store->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  ASSERT_EQ(store->count_open(), 1);

  end_sessions();
  // The call that meets the dead session fails; the ticket store says so.
  EXPECT_THROW(store->apply_success(
                   run("tikv", "store_up", at_seconds(10), {violation("1"), violation("2")})),
               StoreError);
  // The next calls work on a new session: reads, prepared statements and
  // writes alike, and the ticket written before is there.
  EXPECT_EQ(store->count_open(), 1);
  store->apply_success(run("tikv", "store_up", at_seconds(20), {violation("1"), violation("2")}));
  EXPECT_EQ(store->count_open(), 2);
  const auto open = store->list({});
  ASSERT_EQ(open.size(), 2u);
  for (const auto& ticket : open) {
    if (ticket.subject == "1") EXPECT_EQ(ticket.occurrence_count, 2) << "seen at 0 and at 20";
  }

  // And again, after a run that found nothing open (the cached query).
  end_sessions();
  EXPECT_THROW(store->count_open(), StoreError);
  store->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  EXPECT_EQ(store->count_open(), 0);
}

// A host frozen (SIGSTOP, a VM pause) inside a write transaction holds the
// writers' lock. The server ends its session once it has sat idle in the
// transaction for 10 s, and the other writers go on; without that they
// would wait for as long as the server kept the frozen session.
TEST_F(PostgresReconnect, AWriterFrozenInsideItsTransactionHoldsTheOthersUpOnlyForAWhile) {
  auto store = TicketStore::open(uri_);
  std::unique_ptr<soci::session> frozen = connect(parse_connection(uri_));
  auto held = std::make_unique<WriteTransaction>(*frozen);  // and then nothing

  // Waits for the writers' lock until the server ends the frozen session.
  store->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  EXPECT_EQ(store->count_open(), 1);
  EXPECT_THROW(held->commit(), soci::soci_error) << "the frozen transaction was ended";
}

}  // namespace
}  // namespace opr::tickets::test
