// Connection strings as users write them.
#include <gtest/gtest.h>

#include "test_support.h"
#include "tickets/connection.h"
#include "tickets/ticket_store.h"

namespace opr::tickets {
namespace {

TEST(Connection, ABarePathIsSqlite) {
  const ConnectionTarget target = parse_connection("/var/lib/operator/tickets.db");
  EXPECT_EQ(target.backend, "sqlite3");
  EXPECT_EQ(target.sqlite_file, std::filesystem::path("/var/lib/operator/tickets.db"));
  EXPECT_EQ(target.parameters, "db=/var/lib/operator/tickets.db timeout=30");
  EXPECT_EQ(target.display, "/var/lib/operator/tickets.db");
}

TEST(Connection, SqliteConnectionStringKeepsItsOptions) {
  const ConnectionTarget target = parse_connection("sqlite3://db=/tmp/t.db timeout=30");
  EXPECT_EQ(target.sqlite_file, std::filesystem::path("/tmp/t.db"));
  EXPECT_EQ(target.parameters, "db=/tmp/t.db timeout=30");
}

TEST(Connection, PathsWithSpacesAreQuotedForSoci) {
  const ConnectionTarget target = parse_connection("sqlite3://db=\"/tmp/my dir/t.db\"");
  EXPECT_EQ(target.sqlite_file, std::filesystem::path("/tmp/my dir/t.db"));
  EXPECT_EQ(target.parameters, "db=\"/tmp/my dir/t.db\" timeout=30");
}

TEST(Connection, UnquotedPathsWithSpacesToo) {
  const ConnectionTarget target = parse_connection("sqlite3://db=/tmp/my dir/t.db timeout=9");
  EXPECT_EQ(target.sqlite_file, std::filesystem::path("/tmp/my dir/t.db"));
  EXPECT_EQ(target.parameters, "db=\"/tmp/my dir/t.db\" timeout=9");
}

TEST(Connection, HomeIsExpanded) {
  opr::test::ScopedEnv home("HOME", "/home/alice");
  EXPECT_EQ(parse_connection("~/t.db").sqlite_file, std::filesystem::path("/home/alice/t.db"));
}

TEST(Connection, MemoryHasNoFile) {
  EXPECT_FALSE(parse_connection(":memory:").sqlite_file.has_value());
  EXPECT_EQ(TicketStore::open(":memory:")->count_open(), 0);
}

TEST(Connection, OtherBackendsPassThroughWithoutShowingPasswords) {
  const ConnectionTarget target =
      parse_connection("postgresql://host=db1 dbname=ops user=op password=s3cret");
  EXPECT_EQ(target.backend, "postgresql");
  EXPECT_EQ(target.parameters, "host=db1 dbname=ops user=op password=s3cret");
  EXPECT_EQ(target.display, "postgresql://host=db1 dbname=ops user=op password=***");
  EXPECT_FALSE(target.sqlite_file.has_value());
}

TEST(Connection, MissingPathIsRefused) {
  EXPECT_THROW(parse_connection("sqlite3://timeout=5"), StoreError);
  EXPECT_THROW(parse_connection(""), StoreError);
}

}  // namespace
}  // namespace opr::tickets
