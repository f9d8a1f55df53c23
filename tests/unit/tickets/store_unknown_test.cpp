// Subjects a successful run could not see (ABI 1.2 run_unknown): they keep
// exactly what they had, and a ticket whose subject stays unknown for the
// check's interval is marked so, never resolved and never counted as seen.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

using std::chrono::seconds;

class UnknownTest : public StoreTest {
 protected:
  static constexpr seconds kInterval{30};

  // A run of tikv/disk_space, every 30 s, that reports `violations` and
  // could not see `blind`.
  ApplyOutcome disk_run(int64_t t, std::vector<ObservedViolation> violations,
                        std::vector<UnknownSubject> blind) {
    return store_->apply_success(run("tikv", "disk_space", at_seconds(t), std::move(violations),
                                     std::move(blind), kInterval));
  }
  // Store 3's disk is full: its ticket opens at t = 0.
  Ticket open_store_3() {
    disk_run(0, {violation("3", "store 3 disk 95% used")}, {});
    return open_ticket("tikv/disk_space/3");
  }
};
OPR_STORE_BACKENDS(UnknownTest);

TEST_P(UnknownTest, AnUnknownSubjectsTicketStaysOpenAndIsMarkedOnceUnknownForTheInterval) {
  const Ticket opened = open_store_3();

  // Store 3's metrics vanish. First run: the streak starts, no mark yet.
  auto outcome = disk_run(30, {}, {unknown("3", "no tikv_store_size_bytes series")});
  EXPECT_EQ(outcome.unknown, 1);
  EXPECT_EQ(outcome.resolved, 0);
  EXPECT_EQ(outcome.updated, 0);
  Ticket ticket = *store_->get(opened.id);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_FALSE(ticket.unknown);
  EXPECT_EQ(ticket.unknown_since, at_seconds(30));
  EXPECT_EQ(ticket.unknown_at, at_seconds(30));
  EXPECT_EQ(ticket.unknown_reason, "no tikv_store_size_bytes series");
  EXPECT_EQ(ticket.updated_at, opened.updated_at);

  // Second run, 30 s into the streak: marked, with an event.
  outcome = disk_run(60, {}, {unknown("3", "store 3 is Disconnected")});
  EXPECT_EQ(outcome.unknown, 1);
  ticket = *store_->get(opened.id);
  EXPECT_TRUE(ticket.unknown);
  EXPECT_EQ(ticket.unknown_since, at_seconds(30));
  EXPECT_EQ(ticket.unknown_at, at_seconds(60));
  EXPECT_EQ(ticket.unknown_reason, "store 3 is Disconnected");
  EXPECT_EQ(ticket.updated_at, at_seconds(60));

  // Third run: still open, marked once.
  outcome = disk_run(90, {}, {unknown("3", "store 3 is Disconnected")});
  EXPECT_EQ(outcome.unknown, 1);
  ticket = *store_->get(opened.id);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_TRUE(ticket.unknown);
  EXPECT_EQ(ticket.unknown_at, at_seconds(90));
  EXPECT_EQ(ticket.updated_at, at_seconds(60));

  // Never seen again: what the ticket says about the violation is as it was.
  EXPECT_EQ(ticket.occurrence_count, 1);
  EXPECT_EQ(ticket.last_seen_at, at_seconds(0));
  EXPECT_EQ(ticket.message, "store 3 disk 95% used");
  EXPECT_EQ(ticket.metric_snapshot, opened.metric_snapshot);
  EXPECT_EQ(event_path(ticket.id), (std::vector<std::string>{">open", "open>unknown"}));
  const auto events = store_->events(ticket.id);
  EXPECT_EQ(events[1].note, "store 3 is Disconnected");
  EXPECT_EQ(events[1].at, at_seconds(60));
  EXPECT_EQ(events[1].actor, "monitor");
}

TEST_P(UnknownTest, AnAcknowledgedTicketsMarkEventStartsFromItsStatus) {
  const Ticket opened = open_store_3();
  store_->acknowledge(opened.id, "alice", "");
  disk_run(30, {}, {unknown("3")});
  disk_run(60, {}, {unknown("3")});
  EXPECT_EQ(store_->get(opened.id)->status, Status::acknowledged);
  EXPECT_EQ(event_path(opened.id),
            (std::vector<std::string>{">open", "open>acknowledged", "acknowledged>unknown"}));
}

TEST_P(UnknownTest, ItResolvesOnlyAfterARunThatSawTheSubjectHealthy) {
  const Ticket opened = open_store_3();
  disk_run(30, {}, {unknown("3")});
  store_->apply_failure(failure("tikv", "disk_space", "prometheus down", at_seconds(45)));
  disk_run(60, {}, {unknown("3")});
  disk_run(90, {}, {unknown("3")});
  EXPECT_EQ(store_->get(opened.id)->status, Status::open);

  // Store 3 is back and its disk is fine (another store is now unknown).
  const auto outcome = disk_run(120, {}, {unknown("4")});
  EXPECT_EQ(outcome.resolved, 1);
  EXPECT_EQ(outcome.unknown, 0);
  const Ticket resolved = *store_->get(opened.id);
  EXPECT_EQ(resolved.status, Status::resolved);
  EXPECT_EQ(resolved.resolved_at, at_seconds(120));
  EXPECT_FALSE(resolved.unknown);
  EXPECT_FALSE(resolved.unknown_since.has_value());
  EXPECT_FALSE(resolved.unknown_at.has_value());
  EXPECT_EQ(resolved.unknown_reason, "");
  EXPECT_EQ(event_path(opened.id),
            (std::vector<std::string>{">open", "open>unknown", "open>resolved"}));
}

TEST_P(UnknownTest, AMarkedTicketReportedAgainIsBumpedAndUnmarked) {
  const Ticket opened = open_store_3();
  disk_run(30, {}, {unknown("3")});
  disk_run(60, {}, {unknown("3")});
  const auto outcome = disk_run(90, {violation("3", "store 3 disk 96% used")}, {});
  EXPECT_EQ(outcome.updated, 1);
  EXPECT_EQ(outcome.unknown, 0);
  const Ticket ticket = *store_->get(opened.id);
  EXPECT_EQ(ticket.occurrence_count, 2);
  EXPECT_EQ(ticket.last_seen_at, at_seconds(90));
  EXPECT_EQ(ticket.message, "store 3 disk 96% used");
  EXPECT_FALSE(ticket.unknown);
  EXPECT_FALSE(ticket.unknown_since.has_value());
  EXPECT_FALSE(ticket.unknown_at.has_value());
  EXPECT_EQ(ticket.unknown_reason, "");
  EXPECT_EQ(event_path(opened.id),
            (std::vector<std::string>{">open", "open>unknown", "open>seen again"}));
  EXPECT_EQ(store_->events(opened.id).back().note, "the check sees the subject again");
}

TEST_P(UnknownTest, AStreakShorterThanTheIntervalLeavesNoMark) {
  const Ticket opened = open_store_3();
  disk_run(30, {}, {unknown("3")});
  disk_run(45, {violation("3")}, {});  // seen: the streak ends, unmarked, no event
  disk_run(60, {}, {unknown("3")});
  disk_run(75, {}, {unknown("3")});  // 15 s into the new streak
  const Ticket ticket = *store_->get(opened.id);
  EXPECT_FALSE(ticket.unknown);
  EXPECT_EQ(ticket.unknown_since, at_seconds(60));
  EXPECT_EQ(event_path(opened.id), (std::vector<std::string>{">open"}));
}

TEST_P(UnknownTest, WithoutAnIntervalTheFirstUnknownRunMarks) {
  const Ticket opened = open_store_3();
  store_->apply_success(run("tikv", "disk_space", at_seconds(30), {}, {unknown("3")}));
  EXPECT_TRUE(store_->get(opened.id)->unknown);
}

TEST_P(UnknownTest, APendingViolationKeepsItsFirstSightAcrossAnUnknownRun) {
  const auto grace = seconds(60);
  auto outcome = disk_run(0, {violation("3", "slow", grace)}, {});
  EXPECT_EQ(outcome.pending, 1);
  outcome = disk_run(30, {}, {unknown("3")});
  EXPECT_EQ(outcome.unknown, 1);
  EXPECT_EQ(outcome.opened, 0);
  EXPECT_EQ(store_->count_open(), 0);
  // Grace is measured from the first sight at 0, not from 60.
  outcome = disk_run(60, {violation("3", "slow", grace)}, {});
  EXPECT_EQ(outcome.opened, 1);
  EXPECT_EQ(open_ticket("tikv/disk_space/3").first_seen_at, at_seconds(0));
}

TEST_P(UnknownTest, AReportedSubjectAlsoNamedUnknownCountsAsReported) {
  const Ticket opened = open_store_3();
  const auto outcome = disk_run(30, {violation("3", "store 3 disk 97% used"), violation("5")},
                                {unknown("3"), unknown("5")});
  EXPECT_EQ(outcome.updated, 1);
  EXPECT_EQ(outcome.opened, 1);
  EXPECT_EQ(outcome.unknown, 0);
  const Ticket ticket = *store_->get(opened.id);
  EXPECT_EQ(ticket.occurrence_count, 2);
  EXPECT_EQ(ticket.message, "store 3 disk 97% used");
  EXPECT_FALSE(ticket.unknown_since.has_value());
  EXPECT_EQ(open_ticket("tikv/disk_space/5").status, Status::open);
}

TEST_P(UnknownTest, AnUnknownSubjectWithNothingOpenOpensNothing) {
  const auto outcome = disk_run(0, {}, {unknown("3"), unknown("4")});
  EXPECT_EQ(outcome.opened + outcome.pending + outcome.unknown, 0);
  EXPECT_EQ(store_->list({}).size(), 0u);
}

TEST_P(UnknownTest, AHeldTicketIsMarkedAndUnmarkedLikeAnyOther) {
  const Ticket opened = open_store_3();
  store_->hold(opened.id, "alice", "disk on order");
  disk_run(30, {}, {unknown("3")});
  auto outcome = disk_run(60, {}, {unknown("3", "store 3 is Down")});
  EXPECT_EQ(outcome.unknown, 1);
  EXPECT_EQ(outcome.held_kept, 0);
  EXPECT_TRUE(store_->get(opened.id)->unknown);

  // Seen healthy: kept open by the hold, no longer marked.
  outcome = disk_run(90, {}, {});
  EXPECT_EQ(outcome.held_kept, 1);
  const Ticket ticket = *store_->get(opened.id);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_TRUE(ticket.held);
  EXPECT_FALSE(ticket.unknown);
  EXPECT_FALSE(ticket.unknown_since.has_value());
  EXPECT_EQ(ticket.updated_at, at_seconds(90));
  EXPECT_EQ(event_path(opened.id),
            (std::vector<std::string>{">open", "open>hold", "open>unknown", "open>seen again"}));
}

TEST_P(UnknownTest, AResolveByAPersonEndsTheMark) {
  const Ticket opened = open_store_3();
  disk_run(30, {}, {unknown("3")});
  disk_run(60, {}, {unknown("3")});
  const Ticket resolved = store_->resolve(opened.id, "alice", "store 3 decommissioned");
  EXPECT_FALSE(resolved.unknown);
  EXPECT_FALSE(resolved.unknown_since.has_value());
}

TEST_P(UnknownTest, OnlyTheRunsOwnTargetAndCheckAreKept) {
  const Ticket opened = open_store_3();
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("3")}));
  // latency could not see store 3; disk_space saw it healthy.
  store_->apply_success(
      run("tikv", "latency", at_seconds(30), {}, {unknown("3")}, std::chrono::milliseconds(0)));
  disk_run(30, {}, {});
  EXPECT_EQ(store_->get(opened.id)->status, Status::resolved);
  EXPECT_TRUE(open_ticket("tikv/latency/3").unknown);
}

}  // namespace
}  // namespace opr::tickets::test
