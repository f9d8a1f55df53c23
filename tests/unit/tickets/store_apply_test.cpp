// The monitor's runs becoming tickets: dedup, grace, auto-resolve and
// holds. Reopening and flapping are in store_flapping_test.cpp, failed runs are in
// store_failures_test.cpp, subjects a run could not see in store_unknown_test.cpp.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <future>
#include <optional>

#include "store_fixture.h"
#include "tickets/connection.h"
#include "tickets/store_gauges.h"
#include "tickets/write_transaction.h"

namespace opr::tickets::test {
namespace {

using std::chrono::seconds;

class ApplyTest : public StoreTest {};
OPR_STORE_BACKENDS(ApplyTest);

TEST_P(ApplyTest, ANewViolationOpensATicketAtOnceWithoutGrace) {
  const auto outcome =
      store_->apply_success(run("tikv", "store_up", at_seconds(0),
                                {violation("4", "store 4 is Down", {}, Severity::critical)}));
  EXPECT_EQ(outcome.opened, 1);
  const Ticket ticket = open_ticket("tikv/store_up/4");
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_EQ(ticket.target, "tikv");
  EXPECT_EQ(ticket.check, "store_up");
  EXPECT_EQ(ticket.subject, "4");
  EXPECT_EQ(ticket.severity, Severity::critical);
  EXPECT_EQ(ticket.message, "store 4 is Down");
  EXPECT_EQ(ticket.batch_key, "tikv@" + format_utc(at_seconds(0)));
  EXPECT_EQ(ticket.occurrence_count, 1);
  EXPECT_EQ(ticket.first_seen_at, at_seconds(0));
  EXPECT_EQ(ticket.last_seen_at, at_seconds(0));
  EXPECT_EQ(ticket.metric_snapshot, R"({"value":1})");
  EXPECT_FALSE(ticket.resolved_at.has_value());
  EXPECT_FALSE(ticket.flapping);
  const auto events = store_->events(ticket.id);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "monitor");
  EXPECT_EQ(events[0].from_status, "");
  EXPECT_EQ(events[0].to_status, "open");
  EXPECT_EQ(events[0].note, "store 4 is Down");
}

TEST_P(ApplyTest, TheSameViolationAgainBumpsTheOpenTicket) {
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1", "p99 120ms")}));
  const auto outcome = store_->apply_success(run(
      "tikv", "latency", at_seconds(30), {violation("1", "p99 180ms", {}, Severity::critical)}));
  EXPECT_EQ(outcome.opened, 0);
  EXPECT_EQ(outcome.updated, 1);
  const Ticket ticket = open_ticket("tikv/latency/1");
  EXPECT_EQ(ticket.occurrence_count, 2);
  EXPECT_EQ(ticket.first_seen_at, at_seconds(0));
  EXPECT_EQ(ticket.last_seen_at, at_seconds(30));
  EXPECT_EQ(ticket.message, "p99 180ms");
  EXPECT_EQ(ticket.severity, Severity::critical);
  EXPECT_EQ(store_->list({}).size(), 1u);
  EXPECT_EQ(event_path(ticket.id), (std::vector<std::string>{">open", "open>updated"}));
}

TEST_P(ApplyTest, ASubjectReportedTwiceInOneRunIsOneTicket) {
  const auto outcome = store_->apply_success(
      run("tikv", "store_up", at_seconds(0), {violation("4", "first"), violation("4", "second")}));
  EXPECT_EQ(outcome.opened, 1);
  EXPECT_EQ(open_ticket("tikv/store_up/4").message, "second");
}

TEST_P(ApplyTest, KeysNoLongerReportedAreAutoResolved) {
  store_->apply_success(
      run("tikv", "store_up", at_seconds(0), {violation("1"), violation("2"), violation("3")}));
  const auto outcome =
      store_->apply_success(run("tikv", "store_up", at_seconds(30), {violation("2")}));
  EXPECT_EQ(outcome.resolved, 2);
  EXPECT_EQ(outcome.updated, 1);
  const auto open = store_->list({});
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].subject, "2");

  ListFilter resolved;
  resolved.statuses = {Status::resolved};
  const auto closed = store_->list(resolved);
  ASSERT_EQ(closed.size(), 2u);
  for (const auto& ticket : closed) {
    EXPECT_EQ(ticket.resolved_at, at_seconds(30));
    const auto events = store_->events(ticket.id);
    EXPECT_EQ(events.back().actor, "monitor");
    EXPECT_EQ(events.back().from_status, "open");
    EXPECT_EQ(events.back().to_status, "resolved");
    EXPECT_EQ(events.back().note, "auto-resolved: no longer reported");
  }
}

TEST_P(ApplyTest, AutoResolveStaysWithinItsTargetAndCheck) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1")}));
  store_->apply_success(run("other", "store_up", at_seconds(0), {violation("1")}));
  const auto outcome = store_->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  EXPECT_EQ(outcome.resolved, 1);
  EXPECT_EQ(store_->count_open(), 2);
}

TEST_P(ApplyTest, AcknowledgedAndDiagnosedTicketsAutoResolveToo) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1"), violation("2")}));
  store_->acknowledge(open_ticket("tikv/store_up/1").id, "alice", "");
  store_->diagnose(open_ticket("tikv/store_up/2").id, "alice", "flaky nic");
  EXPECT_EQ(store_->apply_success(run("tikv", "store_up", at_seconds(30), {})).resolved, 2);
  EXPECT_EQ(store_->count_open(), 0);
}

TEST_P(ApplyTest, HeldTicketsStayOpen) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  const Ticket ticket = open_ticket("tikv/store_up/1");
  store_->hold(ticket.id, "alice", "keep until the postmortem");
  const auto outcome = store_->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  EXPECT_EQ(outcome.resolved, 0);
  EXPECT_EQ(outcome.held_kept, 1);
  EXPECT_EQ(store_->get(ticket.id)->status, Status::open);
  // Once released, the next run resolves it.
  store_->unhold(ticket.id, "alice", "");
  EXPECT_EQ(store_->apply_success(run("tikv", "store_up", at_seconds(60), {})).resolved, 1);
}

TEST_P(ApplyTest, GraceHoldsAViolationBackUntilItHasLastedLongEnough) {
  const auto grace = seconds(60);
  auto outcome =
      store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1", "slow", grace)}));
  EXPECT_EQ(outcome.pending, 1);
  EXPECT_EQ(store_->count_open(), 0);
  outcome = store_->apply_success(
      run("tikv", "latency", at_seconds(59), {violation("1", "slow", grace)}));
  EXPECT_EQ(outcome.pending, 1);
  EXPECT_EQ(store_->count_open(), 0);
  // Which violation waits, and until when: from its first sight (--once shows it).
  ASSERT_EQ(outcome.in_grace.size(), 1u);
  EXPECT_EQ(outcome.in_grace[0].subject, "1");
  EXPECT_EQ(outcome.in_grace[0].until, at_seconds(60));
  outcome = store_->apply_success(
      run("tikv", "latency", at_seconds(60), {violation("1", "slow", grace)}));
  EXPECT_EQ(outcome.opened, 1);
  EXPECT_TRUE(outcome.in_grace.empty());
  const Ticket ticket = open_ticket("tikv/latency/1");
  EXPECT_EQ(ticket.first_seen_at, at_seconds(0));  // when it began, not when grace ended
  EXPECT_EQ(ticket.last_seen_at, at_seconds(60));
}

TEST_P(ApplyTest, GraceSurvivesAReopenOfTheStore) {
  const auto grace = seconds(60);
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1", "slow", grace)}));
  reopen();
  EXPECT_EQ(
      store_->apply_success(run("tikv", "latency", at_seconds(61), {violation("1", "slow", grace)}))
          .opened,
      1);
}

TEST_P(ApplyTest, GraceStartsOverWhenTheViolationGoesAway) {
  const auto grace = seconds(60);
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1", "slow", grace)}));
  store_->apply_success(run("tikv", "latency", at_seconds(30), {}));
  const auto outcome = store_->apply_success(
      run("tikv", "latency", at_seconds(61), {violation("1", "slow", grace)}));
  EXPECT_EQ(outcome.opened, 0);
  EXPECT_EQ(outcome.pending, 1);
}

TEST_P(ApplyTest, APassingRunWithNothingOpenDoesNotWaitForAnotherWriter) {
  // A CLI user's command holds the write lock (SQLite's busy timeout: 30 s).
  const auto cli = connect(parse_connection(connection()));
  std::optional<WriteTransaction> writing(std::in_place, *cli);
  auto passing = std::async(std::launch::async, [this] {
    ApplyOutcome outcome = store_->apply_success(run("tikv", "store_up", at_seconds(0), {}));
    // Subjects it could not see, with nothing of theirs to keep, change nothing either.
    const ApplyOutcome blind =
        store_->apply_success(run("tikv", "store_up", at_seconds(30), {}, {unknown("3")}));
    outcome.unknown += blind.unknown;
    return outcome;
  });
  const bool returned = passing.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  writing.reset();  // rolls back
  EXPECT_TRUE(returned) << "a run that changes nothing waited for the write lock";
  const ApplyOutcome outcome = passing.get();
  EXPECT_EQ(outcome.opened + outcome.updated + outcome.resolved + outcome.pending + outcome.unknown,
            0);
}

// The monitor's /-/ready probe: a write could begin, or why not.
TEST_P(ApplyTest, TheWriteProbeSeesAnotherWritersLock) {
  StoreGauges gauges(connection());
  EXPECT_EQ(gauges.write_problem(std::chrono::milliseconds(100)), std::nullopt);
  const auto cli = connect(parse_connection(connection()));
  {
    WriteTransaction writing(*cli);
    EXPECT_NE(gauges.write_problem(std::chrono::milliseconds(100)), std::nullopt);
  }
  EXPECT_EQ(gauges.write_problem(std::chrono::milliseconds(100)), std::nullopt);
}

TEST_P(ApplyTest, TwoStoresOnOneFileShareTheOpenTicket) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  auto other = TicketStore::open(connection());
  other->apply_success(run("tikv", "store_up", at_seconds(30), {violation("1")}));
  EXPECT_EQ(store_->list({}).size(), 1u);
  EXPECT_EQ(open_ticket("tikv/store_up/1").occurrence_count, 2);
}

TEST_P(ApplyTest, TheMonitorSeesAHoldSetByTheCliBetweenItsReads) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  // The monitor's per-cycle reads, then a CLI user's hold on another connection.
  EXPECT_EQ(store_->count_open(), 1);
  store_->apply_success(run("tikv", "latency", at_seconds(0), {}));
  auto cli = TicketStore::open(connection());
  cli->hold(open_ticket("tikv/store_up/1").id, "alice", "keep it");
  EXPECT_EQ(store_->count_open(), 1);
  const auto outcome = store_->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  EXPECT_EQ(outcome.held_kept, 1);
  EXPECT_EQ(outcome.resolved, 0);
  cli->resolve(open_ticket("tikv/store_up/1").id, "alice", "fixed");
  EXPECT_EQ(store_->count_open(), 0);
}

TEST_P(ApplyTest, TenThousandViolationsInOneRun) {
  std::vector<ObservedViolation> violations;
  for (int i = 0; i < 10000; ++i) violations.push_back(violation(std::to_string(i)));
  auto outcome = store_->apply_success(run("big", "check", at_seconds(0), violations));
  EXPECT_EQ(outcome.opened, 10000);
  violations.resize(5000);
  outcome = store_->apply_success(run("big", "check", at_seconds(30), violations));
  EXPECT_EQ(outcome.updated, 5000);
  EXPECT_EQ(outcome.resolved, 5000);
  EXPECT_EQ(store_->count_open(), 5000);
}

}  // namespace
}  // namespace opr::tickets::test
