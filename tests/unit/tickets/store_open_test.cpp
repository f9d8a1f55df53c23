// Opening the database: where and how the file is made, its settings, and
// schema versions.
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store_fixture.h"
#include "tickets/connection.h"
#include "tickets/schema.h"

namespace opr::tickets::test {
namespace {

std::string open_error(const std::string& connection) {
  return opr::test::error_of<StoreError>([&] { TicketStore::open(connection); });
}

TEST(StoreOpen, ANewFileAndItsFoldersAreMadePrivate) {
  opr::test::TempDir dir;
  const auto file = dir / "state/operator/tickets.db";
  ::umask(022);  // the usual umask would make it world-readable
  auto store = TicketStore::open(file.string());
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir / "state").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);
}

// A file others may read gives away hosts, stores and what operators wrote:
// opening it (the monitor or any CLI command) takes the others' bits away,
// from SQLite's side files too, and keeps the owner's.
TEST(StoreOpen, AnExistingFileOpenToOthersIsMadePrivate) {
  opr::test::TempDir dir;
  const auto file = dir / "tickets.db";
  { auto store = TicketStore::open(file.string()); }
  ::chmod(file.c_str(), 0644);
  opr::test::write_file(file.string() + "-wal", "");
  ::chmod((file.string() + "-wal").c_str(), 0666);
  auto store = TicketStore::open(file.string());
  for (const std::string& path : {file.string(), file.string() + "-wal"}) {
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0) << path;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << path;
  }
  ::chmod(file.c_str(), 0440);  // read-only for its owner stays so
  store.reset();
  try {
    TicketStore::open(file.string());
  } catch (const StoreError&) {
  }
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0400u);
}

TEST(StoreOpen, ConnectionStringAndBarePathAreTheSameDatabase) {
  opr::test::TempDir dir;
  const auto file = dir / "with space" / "tickets.db";
  TicketStore::open(file.string())
      ->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  EXPECT_EQ(TicketStore::open("sqlite3://db=" + file.string())->count_open(), 1);
}

TEST(StoreOpen, WalModeBusyTimeoutAndForeignKeys) {
  opr::test::TempDir dir;
  const auto file = dir / "tickets.db";
  auto store = TicketStore::open(file.string());
  store->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  // WAL is a property of the file, seen by any other connection.
  soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
  std::string mode;
  sql << "PRAGMA journal_mode", soci::into(mode);
  EXPECT_EQ(mode, "wal");
  // An event for a ticket that does not exist is refused.
  sql << "PRAGMA foreign_keys = ON";
  EXPECT_THROW((sql << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status,"
                       " note) VALUES (999, 0, 'x', '', 'open', '')"),
               soci::soci_error);
}

// On both backends, whatever the store's code does: a partial unique index.
class KeyTest : public StoreTest {};
OPR_STORE_BACKENDS(KeyTest);

TEST_P(KeyTest, TheDatabaseAllowsOneNonResolvedTicketPerKey) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  const auto sql = connect(parse_connection(connection()));
  const std::string insert =
      "INSERT INTO tickets (violation_key, target, check_name, subject, status, severity, message,"
      " batch_key, occurrence_count, first_seen_at, last_seen_at, metric_snapshot, created_at,"
      " updated_at) VALUES ('tikv/store_up/1', 'tikv', 'store_up', '1', :status, 'warning', 'm',"
      " '', 1, 0, 0, '{}', 0, 0)";
  std::string status = "acknowledged";
  EXPECT_THROW((*sql << insert, soci::use(status)), soci::soci_error);
  status = "resolved";  // any number of resolved ones
  EXPECT_NO_THROW((*sql << insert, soci::use(status)));
  EXPECT_NO_THROW((*sql << insert, soci::use(status)));
}

TEST(StoreOpen, ANewDatabaseIsAtTheCurrentSchemaVersion) {
  opr::test::TempDir dir;
  const auto file = dir / "tickets.db";
  TicketStore::open(file.string());
  TicketStore::open(file.string());  // a second open migrates nothing
  soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
  int version = 0, rows = 0;
  sql << "SELECT MAX(version), COUNT(*) FROM schema_version", soci::into(version), soci::into(rows);
  EXPECT_EQ(version, TicketStore::kSchemaVersion);
  EXPECT_EQ(rows, TicketStore::kSchemaVersion);
}

TEST(StoreOpen, ADatabaseFromANewerOperatorHostIsRefused) {
  opr::test::TempDir dir;
  const auto file = dir / "tickets.db";
  const int newer = TicketStore::kSchemaVersion + 1;
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
    sql << "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
    sql << "INSERT INTO schema_version (version, applied_at) VALUES (1, 0)";
    sql << "INSERT INTO schema_version (version, applied_at) VALUES (:v, 0)", soci::use(newer);
  }
  EXPECT_EQ(open_error(file.string()),
            "database " + file.string() + " has schema version " + std::to_string(newer) +
                ", this operator-host supports up to " +
                std::to_string(TicketStore::kSchemaVersion) + "; upgrade operator-host");
}

// A database written by an operator-host of schema version 1, with a
// resolved ticket, an acknowledged one with its events, and a violation in
// grace, opened by this one.
TEST(StoreOpen, AVersionOneDatabaseIsMigratedAndKeepsEverything) {
  opr::test::TempDir dir;
  const auto file = dir / "tickets.db";
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
    migrate(sql, file.string(), 1);  // the version 1 statements, as that host ran them
    const std::string insert =
        "INSERT INTO tickets (violation_key, target, check_name, subject, status, held, flapping,"
        " severity, message, batch_key, occurrence_count, first_seen_at, last_seen_at,"
        " resolved_at, diagnosis, metric_snapshot, created_at, updated_at) VALUES ";
    sql << insert +
               "('tikv/store_up/4', 'tikv', 'store_up', '4', 'resolved', 0, 1, 'critical',"
               " 'store 4 is Down', 'tikv@a', 2, 1000, 2000, 3000, 'disk', '{\"id\":4}',"
               " 1000, 3000)";
    sql << insert +
               "('tikv/disk_space/3', 'tikv', 'disk_space', '3', 'acknowledged', 1, 0,"
               " 'warning', 'disk 95% used', 'tikv@b', 7, 4000, 5000, NULL, NULL, '{}',"
               " 4000, 6000)";
    sql << "INSERT INTO ticket_events (ticket_id, at, actor, from_status, to_status, note)"
           " VALUES (2, 4000, 'monitor', '', 'open', 'disk 95% used'),"
           " (2, 6000, 'alice', 'open', 'acknowledged', 'looking')";
    sql << "INSERT INTO pending_violations (violation_key, target, check_name, subject,"
           " first_seen_at, last_seen_at) VALUES ('tikv/latency/1', 'tikv', 'latency', '1',"
           " 1795000000000, 1795000000000)";
    int version = 0;
    sql << "SELECT MAX(version) FROM schema_version", soci::into(version);
    ASSERT_EQ(version, 1);
  }

  auto store = TicketStore::open(file.string());
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
    int version = 0;
    sql << "SELECT MAX(version) FROM schema_version", soci::into(version);
    EXPECT_EQ(version, TicketStore::kSchemaVersion);
  }
  ListFilter all;
  all.include_resolved = true;
  const auto tickets = store->list(all);
  ASSERT_EQ(tickets.size(), 2u);
  const Ticket& resolved = tickets[1];
  EXPECT_EQ(resolved.violation_key, "tikv/store_up/4");
  EXPECT_EQ(resolved.status, Status::resolved);
  EXPECT_TRUE(resolved.flapping);
  EXPECT_EQ(resolved.severity, Severity::critical);
  EXPECT_EQ(resolved.occurrence_count, 2);
  EXPECT_EQ(resolved.resolved_at, TimePoint(std::chrono::milliseconds(3000)));
  EXPECT_EQ(resolved.diagnosis, "disk");
  EXPECT_EQ(resolved.metric_snapshot, R"({"id":4})");
  const Ticket& acknowledged = tickets[0];
  EXPECT_EQ(acknowledged.status, Status::acknowledged);
  EXPECT_TRUE(acknowledged.held);
  EXPECT_EQ(acknowledged.occurrence_count, 7);
  EXPECT_EQ(acknowledged.first_seen_at, TimePoint(std::chrono::milliseconds(4000)));
  EXPECT_EQ(acknowledged.updated_at, TimePoint(std::chrono::milliseconds(6000)));
  for (const Ticket& ticket : tickets) {
    EXPECT_FALSE(ticket.unknown);
    EXPECT_FALSE(ticket.unknown_since.has_value());
    EXPECT_FALSE(ticket.unknown_at.has_value());
    EXPECT_EQ(ticket.unknown_reason, "");
    EXPECT_FALSE(ticket.acknowledged_until.has_value());  // an old acknowledgement is for good
  }
  EXPECT_EQ(store->expire_acknowledgements(TimePoint(std::chrono::hours(24 * 365 * 100))).size(),
            0u);
  const auto events = store->events(acknowledged.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].actor, "alice");
  EXPECT_EQ(events[1].to_status, "acknowledged");
  EXPECT_EQ(events[1].note, "looking");

  // The old rows work with the new code: the violation in grace opens at
  // its original first sight, the held ticket can go unknown, failures count.
  auto outcome = store->apply_success(
      run("tikv", "latency", at_seconds(60), {violation("1", "slow", std::chrono::seconds(60))}));
  EXPECT_EQ(outcome.opened, 1);
  outcome = store->apply_success(run("tikv", "disk_space", at_seconds(60), {}, {unknown("3")}));
  EXPECT_EQ(outcome.unknown, 1);
  EXPECT_TRUE(store->get(acknowledged.id)->unknown);
  EXPECT_EQ(store->apply_failure(failure("tikv", "store_up", "down", at_seconds(60)))
                .consecutive_failures,
            1);
}

TEST(StoreOpen, AFolderThatCannotBeMadeIsAClearError) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "file", "x");
  const std::string error = open_error((dir / "file/sub/tickets.db").string());
  EXPECT_NE(error.find("cannot create folder " + (dir / "file/sub").string()), std::string::npos)
      << error;
}

TEST(StoreOpen, AFileThatIsNotADatabaseIsAClearError) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "notes.txt", std::string(4096, 'x'));
  const std::string error = open_error((dir / "notes.txt").string());
  EXPECT_NE(error.find((dir / "notes.txt").string()), std::string::npos) << error;
}

// What --db names by mistake (an application's SQLite file) is refused,
// not given ticket tables beside its own.
TEST(StoreOpen, ASqliteFileOfAnotherProgramIsRefusedAndLeftAsItWas) {
  opr::test::TempDir dir;
  const auto file = dir / "app.db";
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
    sql << "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
    sql << "CREATE TABLE orders (id INTEGER PRIMARY KEY)";
  }
  const std::string error = open_error(file.string());
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_NE(error.find("customers, orders"), std::string::npos) << error;
  EXPECT_NE(error.find("another program"), std::string::npos) << error;
  soci::session sql(*soci::factory_sqlite3(), "db=" + file.string());
  int tables = 0;
  sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", soci::into(tables);
  EXPECT_EQ(tables, 2);
}

TEST(StoreOpen, AnEmptySqliteFileBecomesATicketDatabase) {
  opr::test::TempDir dir;
  const auto file = dir / "empty.db";
  { soci::session sql(*soci::factory_sqlite3(), "db=" + file.string()); }
  EXPECT_EQ(open_error(file.string()), "");
  auto store = TicketStore::open(file.string());
  EXPECT_EQ(store->count_open(), 0);
}

TEST(StoreOpen, CurrentUserNameIsKnown) {
  EXPECT_FALSE(current_user_name().empty());
  EXPECT_NE(current_user_name(), "unknown");
}

}  // namespace
}  // namespace opr::tickets::test
