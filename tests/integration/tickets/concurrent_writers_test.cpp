// The monitor and people write one SQLite file at the same time: every
// write lands, none fails on a lock.
#include <gtest/gtest.h>

#include <memory>

#include "test_support.h"
#include "tickets/ticket_store.h"

namespace {

using opr::test::Process;
using opr::tickets::ListFilter;
using opr::tickets::TicketStore;

constexpr int kWrites = 1000;

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

TEST(ConcurrentWriters, TwoMonitorsThousandRunsEachOnOneFile) {
  opr::test::TempDir dir;
  const auto db = dir / "tickets.db";
  Process first(writer(db, {"monitor", "alpha", std::to_string(kWrites)}));
  Process second(writer(db, {"monitor", "beta", std::to_string(kWrites)}));
  ASSERT_EQ(first.wait(std::chrono::seconds(120)), 0) << first.err();
  ASSERT_EQ(second.wait(std::chrono::seconds(120)), 0) << second.err();
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
  ASSERT_EQ(monitor.wait(std::chrono::seconds(120)), 0) << monitor.err();
  ASSERT_EQ(person.wait(std::chrono::seconds(120)), 0) << person.err();

  auto store = TicketStore::open(db.string());
  EXPECT_EQ(tickets_of(*store, "alpha"), kWrites);
  EXPECT_EQ(store->events(id).size(), 1u + kWrites);  // opened, then every hold and unhold
  EXPECT_FALSE(store->get(id)->held);                 // an even number of changes
}

TEST(ConcurrentWriters, OperatorHostCommandsWhileTheMonitorWrites) {
  opr::test::TempDir dir;
  const auto db = dir / "tickets.db";
  ASSERT_EQ(opr::test::run_command(writer(db, {"seed", "people", "check", "1"})).exit_code, 0);
  const std::string id = std::to_string(TicketStore::open(db.string())->list({}).at(0).id);

  Process monitor(writer(db, {"monitor", "alpha", std::to_string(kWrites)}));
  constexpr int kCommands = 20;
  for (int i = 0; i < kCommands; ++i) {
    const auto result = opr::test::run_operator_host(
        {"--db", db.string(), "tickets", i % 2 ? "unhold" : "hold", id});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    ASSERT_EQ(
        opr::test::run_operator_host({"--db", db.string(), "tickets", "list", "--json"}).exit_code,
        0);
  }
  ASSERT_EQ(monitor.wait(std::chrono::seconds(120)), 0) << monitor.err();

  auto store = TicketStore::open(db.string());
  EXPECT_EQ(tickets_of(*store, "alpha"), kWrites);
  EXPECT_EQ(store->events(std::stoll(id)).size(), 1u + kCommands);
}

}  // namespace
