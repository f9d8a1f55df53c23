// Connection strings as users write them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

// libpq takes both schemes; SOCI loads its backend by the one name.
TEST(Connection, ThePostgresSchemeIsThePostgresqlBackend) {
  const ConnectionTarget target = parse_connection("postgres://op@db1/ops");
  EXPECT_EQ(target.backend, "postgresql");
  EXPECT_EQ(target.parameters, "postgresql://op@db1/ops?fallback_application_name=operator-host");
  EXPECT_EQ(parse_connection("postgres://host=db1 dbname=ops").backend, "postgresql");
}

// libpq's URI form, handed to libpq whole. SOCI 4.0 re-reads the string as
// key=value words and appends '=' to a word without one, so the URI always
// carries a query parameter.
TEST(Connection, APostgresqlUriIsPassedWholeWithItsPasswordHidden) {
  const ConnectionTarget target = parse_connection("postgresql://op:s3cret@db1:5432/ops");
  EXPECT_EQ(target.backend, "postgresql");
  EXPECT_EQ(target.parameters,
            "postgresql://op:s3cret@db1:5432/ops?fallback_application_name=operator-host");
  EXPECT_EQ(target.display, "postgresql://op:***@db1:5432/ops");
  EXPECT_EQ(parse_connection("postgresql://db1/ops?sslmode=require").parameters,
            "postgresql://db1/ops?sslmode=require&fallback_application_name=operator-host");
  EXPECT_EQ(target.shown("invalid percent-encoded token: \"s3cret\""),
            "invalid percent-encoded token: \"***\"");
}

// Key=value pairs that libpq cannot read, or that SOCI would pass on
// changed, are refused here with where the problem is: libpq's own words
// would quote the piece, which may be the password.
TEST(Connection, PostgresqlPairsThatLibpqOrSociWouldMisreadAreRefusedWithoutTheirText) {
  struct Case {
    std::string connection;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"postgresql://host=db1 s3cret", "pair 2 is not key=value"},
           {"postgresql://host=db1 password=\"s3cret pw\"", "pair 2 quotes its value with \""},
           {"postgresql://host=db1 password='s3cret pw'", "pair 2 holds a blank"},
           {"postgresql://host=db1 password=s3cret\\ pw", "pair 2 holds a blank"},
           {"postgresql://host=db1 password='s3cret", "pair 2 opens a quote (') it never closes"},
           {"postgresql://host=db1 password='s3cret'x", "pair 2 goes on after its closing quote"},
           {"postgresql://host=db1 password= s3cret", "pair 2 has a blank after '='"},
       }) {
    try {
      parse_connection(c.connection);
      ADD_FAILURE() << c.connection << " was accepted";
    } catch (const StoreError& e) {
      const std::string what = e.what();
      EXPECT_TRUE(what.starts_with("bad PostgreSQL connection parameters: " + c.message)) << what;
      EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
    }
  }
  // What both read alike passes unchanged.
  const std::string fine = "postgresql://host=db1 password='it\\'s' user=op sslmode=require";
  EXPECT_EQ(parse_connection(fine).parameters, fine.substr(std::string("postgresql://").size()));
}

// The store's own errors that quote the connection string hide its
// password, whatever form it has.
TEST(Connection, ParseErrorsNeverShowAPassword) {
  try {
    parse_connection("sqlite3://password=s3cret timeout=5");
    ADD_FAILURE() << "accepted";
  } catch (const StoreError& e) {
    EXPECT_EQ(std::string(e.what()), "no db=PATH in sqlite3://password=*** timeout=5");
  }
}

TEST(Connection, MissingPathIsRefused) {
  EXPECT_THROW(parse_connection("sqlite3://timeout=5"), StoreError);
  EXPECT_THROW(parse_connection(""), StoreError);
}

}  // namespace
}  // namespace opr::tickets
