// One monitor per ticket database: the lock names its holder, lasts as long
// as the lock object, and needs nothing to be cleaned up after a crash
// (tests/integration/engine/one_monitor_test.cpp kills a real monitor).
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "postgres_server.h"
#include "test_support.h"
#include "tickets/monitor_lock.h"

namespace opr::tickets::test {
namespace {

std::string refusal(const std::string& connection) {
  return opr::test::error_of<MonitorRunning>([&] { MonitorLock::acquire(connection); });
}

TEST(MonitorLock, ASecondHolderIsRefusedWithTheFirstOnesPidAndHost) {
  opr::test::TempDir dir;
  const std::string db = (dir / "tickets.db").string();
  MonitorLock first = MonitorLock::acquire(db);
  EXPECT_TRUE(first.held());
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  for (const std::string& connection : {db, "sqlite3://db=" + db}) {
    const std::string error = refusal(connection);
    EXPECT_NE(error.find("another monitor is using the ticket database " + db), std::string::npos)
        << error;
    EXPECT_NE(error.find("PID " + std::to_string(::getpid()) + " on host " + host),
              std::string::npos)
        << error;
  }
}

TEST(MonitorLock, IsFreeAgainOnceTheHolderIsGone) {
  opr::test::TempDir dir;
  const std::string db = (dir / "tickets.db").string();
  { MonitorLock first = MonitorLock::acquire(db); }
  EXPECT_EQ(refusal(db), "");
}

TEST(MonitorLock, DatabasesInOneFolderHaveLocksOfTheirOwn) {
  opr::test::TempDir dir;
  MonitorLock a = MonitorLock::acquire((dir / "a.db").string());
  EXPECT_EQ(refusal((dir / "b.db").string()), "");
}

TEST(MonitorLock, AnInMemoryDatabaseNeedsNoLock) {
  EXPECT_FALSE(MonitorLock::acquire(":memory:").held());
}

// The same rule on PostgreSQL, through a session-level advisory lock of the
// database (the test binary's real server).
class PostgresMonitorLock : public ::testing::Test {
 protected:
  void SetUp() override {
    const opr::test::PostgresTestDatabase postgres = opr::test::postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    server_ = postgres.server;
    db_ = postgres.socket_uri;
  }
  opr::test::PostgresServer* server_ = nullptr;
  std::string db_;
};

TEST_F(PostgresMonitorLock, ASecondHolderIsRefusedWithTheFirstOnesPidAndHost) {
  MonitorLock first = MonitorLock::acquire(db_);
  EXPECT_TRUE(first.held());
  char host[256] = {};
  ASSERT_EQ(::gethostname(host, sizeof host - 1), 0);
  const std::string error = refusal(db_);
  EXPECT_NE(error.find("another monitor is using the ticket database " + db_), std::string::npos)
      << error;
  // application_name keeps 63 bytes: the PID is always within them.
  EXPECT_NE(error.find("PID " + std::to_string(::getpid()) + " on host "), std::string::npos)
      << error;
}

TEST_F(PostgresMonitorLock, IsFreeAgainOnceTheHolderIsGone) {
  { MonitorLock first = MonitorLock::acquire(db_); }
  // The server drops the lock with the connection, a moment after it closes.
  EXPECT_TRUE(
      opr::test::wait_until([&] { return refusal(db_).empty(); }, std::chrono::seconds(10)));
}

TEST_F(PostgresMonitorLock, DatabasesOfOneServerHaveLocksOfTheirOwn) {
  MonitorLock a = MonitorLock::acquire(db_);
  EXPECT_EQ(refusal(server_->socket_uri(opr::test::fresh_postgres_database(*server_))), "");
}

}  // namespace
}  // namespace opr::tickets::test
