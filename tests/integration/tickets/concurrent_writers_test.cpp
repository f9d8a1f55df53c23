// The monitor and people write one SQLite file at the same time: every
// write lands, none fails on a lock. tickets_writer stands in for the
// monitor where a test needs a thousand runs in a few seconds (it applies
// runs to the store as the monitor does, without packs or schedules); the
// command-line tests run the real operator-host monitor.
#include <gtest/gtest.h>
#include <signal.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <memory>

#include "host_harness.h"
#include "test_support.h"
#include "tickets/ticket_store.h"

namespace {

using opr::test::Process;
using opr::tickets::ListFilter;
using opr::tickets::TicketStore;

// Enough runs for the two writers to meet at the lock many times over; the
// waits below are for a loaded 2-core machine, where each can take minutes.
constexpr int kWrites = 500;
constexpr auto kWriterDeadline = std::chrono::seconds(240);

std::vector<std::string> writer(const std::filesystem::path& db,
                                const std::vector<std::string>& args) {
  std::vector<std::string> argv{OPR_TICKETS_WRITER, db.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

int64_t tickets_of(TicketStore& store, const std::string& target) {
  ListFilter filter;
  filter.include_resolved = true;
  filter.target = target;
  return static_cast<int64_t>(store.list(filter).size());
}

TEST(ConcurrentWriters, TwoMonitorsManyRunsEachOnOneFile) {
  opr::test::TempDir dir;
  const auto db = dir / "tickets.db";
  Process first(writer(db, {"monitor", "alpha", std::to_string(kWrites)}));
  Process second(writer(db, {"monitor", "beta", std::to_string(kWrites)}));
  ASSERT_EQ(first.wait(kWriterDeadline), 0) << first.err();
  ASSERT_EQ(second.wait(kWriterDeadline), 0) << second.err();
  EXPECT_EQ(first.err(), "");
  EXPECT_EQ(second.err(), "");

  auto store = TicketStore::open(db.string());
  // Each run opened one ticket and resolved the one before.
  EXPECT_EQ(tickets_of(*store, "alpha"), kWrites);
  EXPECT_EQ(tickets_of(*store, "beta"), kWrites);
  EXPECT_EQ(store->count_open(), 2);
}

TEST(ConcurrentWriters, MonitorAndPersonAtOnce) {
  opr::test::TempDir dir;
  const auto db = dir / "tickets.db";
  ASSERT_EQ(opr::test::run_command(writer(db, {"seed", "people", "check", "1"})).exit_code, 0);
  const int64_t id = TicketStore::open(db.string())->list({}).at(0).id;

  Process monitor(writer(db, {"monitor", "alpha", std::to_string(kWrites)}));
  Process person(writer(db, {"person", std::to_string(id), std::to_string(kWrites)}));
  ASSERT_EQ(monitor.wait(kWriterDeadline), 0) << monitor.err();
  ASSERT_EQ(person.wait(kWriterDeadline), 0) << person.err();

  auto store = TicketStore::open(db.string());
  EXPECT_EQ(tickets_of(*store, "alpha"), kWrites);
  EXPECT_EQ(store->events(id).size(), 1u + kWrites);  // opened, then every hold and unhold
  EXPECT_FALSE(store->get(id)->held);                 // an even number of changes
}

// The real monitor, writing at every run (the control pack reports the same
// violation every 20 ms, so each run bumps its ticket), while a person holds
// and unholds that very ticket and lists tickets from the command line.
TEST(ConcurrentWriters, OperatorHostCommandsWhileTheMonitorWrites) {
  opr::test::HostHarness harness;
  opr::test::write_file(harness.file("cmd"), "violate s1 warning disk full\n");
  harness.write_config(
      "targets:\n  - name: a\n    pack: control\n    checks:\n"
      "      probe: {interval: 20ms, command_file: " +
      harness.file("cmd").string() + "}\n");
  auto monitor = harness.start();
  ASSERT_TRUE(opr::test::wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); },
                                    std::chrono::seconds(30)))
      << monitor->err();
  const auto opened = *harness.open_ticket("a/probe/s1");
  const std::string id = std::to_string(opened.id);

  constexpr int kCommands = 20;
  for (int i = 0; i < kCommands; ++i) {
    const auto changed = harness.run({"tickets", i % 2 ? "unhold" : "hold", id});
    ASSERT_EQ(changed.exit_code, 0) << changed.err;
    const auto listed = harness.run({"tickets", "list", "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
  }
  // The monitor went on writing meanwhile...
  const auto seen = *harness.open_ticket("a/probe/s1");
  EXPECT_GT(seen.occurrence_count, opened.occurrence_count);
  monitor->signal(SIGTERM);
  EXPECT_EQ(monitor->wait(std::chrono::seconds(20)), 0) << monitor->err();
  // ...and none of its writes failed.
  EXPECT_FALSE(opr::test::contains(monitor->err(), "could not record")) << monitor->err();

  auto store = TicketStore::open(harness.db_path().string());
  EXPECT_EQ(store->events(opened.id).size(), 1u + kCommands);  // opened, every hold and unhold
  EXPECT_FALSE(store->get(opened.id)->held);                   // an even number of changes
}

// Another process holds the write lock for a second: `tickets ack` waits for
// it (the store's busy timeout) instead of failing, then succeeds.
TEST(ConcurrentWriters, AckWaitsForAnotherWritersTransaction) {
  opr::test::TempDir dir;
  const auto db = dir / "tickets.db";
  ASSERT_EQ(opr::test::run_command(writer(db, {"seed", "people", "check", "1"})).exit_code, 0);
  const int64_t id = TicketStore::open(db.string())->list({}).at(0).id;

  soci::session other(soci::sqlite3, "db=" + db.string());
  other << "BEGIN IMMEDIATE";  // the write lock, until COMMIT
  Process ack({opr::test::operator_host().string(), "--db", db.string(), "tickets", "ack",
               std::to_string(id)});
  // Holding the lock for a second is the point: ack cannot finish before.
  EXPECT_FALSE(ack.wait(std::chrono::seconds(1)).has_value())
      << "ack did not wait for the lock: " << ack.err();
  other << "COMMIT";
  EXPECT_EQ(ack.wait(std::chrono::seconds(60)), 0) << ack.err();
  EXPECT_EQ(TicketStore::open(db.string())->get(id)->status, opr::tickets::Status::acknowledged);
}

}  // namespace
