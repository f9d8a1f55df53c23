// The password of a PostgreSQL ticket database: from the URI, from libpq's
// PGPASSFILE, or from the config's password_file (which joins it to the
// string); never in an error. Against the test binary's real server, whose
// TCP port wants the password (scram-sha-256).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>

#include "config/database_setting.h"
#include "postgres_server.h"
#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

using opr::test::PostgresServer;

class PostgresPassword : public ::testing::Test {
 protected:
  void SetUp() override {
    const opr::test::PostgresTestDatabase postgres = opr::test::postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    server_ = postgres.server;
    database_ = postgres.name;
  }
  // Opens the store and writes to it: the password worked.
  void expect_usable(const std::string& connection) {
    auto store = TicketStore::open(connection);
    store->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
    EXPECT_EQ(store->count_open(), 1);
  }

  PostgresServer* server_ = nullptr;
  std::string database_;
  opr::test::TempDir dir_;
};

TEST_F(PostgresPassword, FromTheUri) {
  expect_usable(server_->tcp_uri(database_, PostgresServer::kPassword));
}

TEST_F(PostgresPassword, FromPgpassfile) {
  // libpq ignores a password file that others may read.
  const auto file = dir_ / "pgpass";
  opr::test::write_file(file, "127.0.0.1:" + std::to_string(server_->port()) + ":*:" +
                                  PostgresServer::kUser + ":" + PostgresServer::kPassword + "\n");
  ::chmod(file.c_str(), 0600);
  opr::test::ScopedEnv passfile("PGPASSFILE", file.c_str());
  expect_usable(server_->tcp_uri(database_, ""));
}

TEST_F(PostgresPassword, FromTheConfigsPasswordFile) {
  expect_usable(config::with_password(server_->tcp_uri(database_, ""), PostgresServer::kPassword));
}

TEST_F(PostgresPassword, AWrongOneIsRefusedWithoutBeingShown) {
  opr::test::ScopedEnv no_passfile("PGPASSFILE", "/nonexistent");
  for (const std::string wrong : {"wr0ng-Pa55", "bad%zzescape"}) {
    const std::string error = opr::test::error_of<StoreError>(
        [&] { TicketStore::open(server_->tcp_uri(database_, wrong)); }, "no error");
    EXPECT_TRUE(opr::test::contains(error, "cannot open the ticket database")) << error;
    EXPECT_FALSE(opr::test::contains(error, wrong)) << error;
    EXPECT_FALSE(opr::test::contains(error, "no error"));
  }
  const std::string error = opr::test::error_of<StoreError>(
      [&] { TicketStore::open(server_->tcp_uri(database_, "wr0ng-Pa55")); });
  EXPECT_TRUE(opr::test::contains(error, "password authentication failed")) << error;
}

}  // namespace
}  // namespace opr::tickets::test
