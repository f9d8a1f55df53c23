// Failed runs: their count lives in the database, so the check's :failed
// ticket opens at the threshold however many processes the failures came
// from, and a success ends the streak and resolves the ticket.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

class FailureTest : public StoreTest {};
OPR_STORE_BACKENDS(FailureTest);

TEST_P(FailureTest, FailuresBelowTheThresholdOpenNothingAndResolveNothing) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  for (int n = 1; n <= 2; ++n) {
    const auto outcome =
        store_->apply_failure(failure("tikv", "store_up", "PD unreachable", at_seconds(n * 30)));
    EXPECT_EQ(outcome.consecutive_failures, n);
    EXPECT_EQ(outcome.opened, 0);
    EXPECT_EQ(outcome.resolved, 0);
  }
  EXPECT_EQ(store_->count_open(), 1);
  EXPECT_EQ(open_ticket("tikv/store_up/1").occurrence_count, 1);
}

TEST_P(FailureTest, AFailedTicketOpensAtTheThresholdAndResolvesOnSuccess) {
  store_->apply_failure(failure("tikv", "store_up", "PD unreachable", at_seconds(0)));
  store_->apply_failure(failure("tikv", "store_up", "PD unreachable", at_seconds(30)));
  auto outcome =
      store_->apply_failure(failure("tikv", "store_up", "PD unreachable", at_seconds(60)));
  EXPECT_EQ(outcome.consecutive_failures, 3);
  EXPECT_EQ(outcome.opened, 1);
  Ticket failed = open_ticket("tikv/store_up:failed");
  EXPECT_EQ(failed.check, "store_up:failed");
  EXPECT_EQ(failed.subject, "");
  EXPECT_EQ(failed.message, "PD unreachable");
  EXPECT_EQ(failed.first_seen_at, at_seconds(60));
  const auto snapshot = nlohmann::json::parse(failed.metric_snapshot);
  EXPECT_EQ(snapshot["consecutive_failures"], 3);
  EXPECT_EQ(snapshot["failure_threshold"], 3);

  outcome = store_->apply_failure(failure("tikv", "store_up", "PD timed out", at_seconds(90)));
  EXPECT_EQ(outcome.consecutive_failures, 4);
  EXPECT_EQ(outcome.updated, 1);
  failed = open_ticket("tikv/store_up:failed");
  EXPECT_EQ(failed.occurrence_count, 2);
  EXPECT_EQ(failed.message, "PD timed out");
  EXPECT_EQ(nlohmann::json::parse(failed.metric_snapshot)["consecutive_failures"], 4);

  outcome = store_->apply_success(run("tikv", "store_up", at_seconds(120), {}));
  EXPECT_EQ(outcome.resolved, 1);
  EXPECT_EQ(outcome.consecutive_failures, 0);
  EXPECT_EQ(store_->get(failed.id)->status, Status::resolved);
  EXPECT_EQ(store_->events(failed.id).back().note, "auto-resolved: the check succeeded again");
}

// What a restarted monitor, or a cron job of `operator-host --once`, does:
// each failure from a new process.
TEST_P(FailureTest, TheCountSurvivesReopeningTheStoreAndReachesTheThreshold) {
  for (int n = 1; n <= 3; ++n) {
    reopen();
    const auto outcome =
        store_->apply_failure(failure("tikv", "latency", "prometheus down", at_seconds(n * 30)));
    EXPECT_EQ(outcome.consecutive_failures, n);
    EXPECT_EQ(outcome.opened, n == 3 ? 1 : 0) << n;
  }
  reopen();
  EXPECT_EQ(open_ticket("tikv/latency:failed").message, "prometheus down");
}

TEST_P(FailureTest, ASuccessEndsTheStreak) {
  store_->apply_failure(failure("tikv", "latency", "prometheus down", at_seconds(0)));
  store_->apply_failure(failure("tikv", "latency", "prometheus down", at_seconds(30)));
  // Nothing open or pending: the success must still see the streak.
  store_->apply_success(run("tikv", "latency", at_seconds(60), {}));
  reopen();
  const auto outcome =
      store_->apply_failure(failure("tikv", "latency", "prometheus down", at_seconds(90)));
  EXPECT_EQ(outcome.consecutive_failures, 1);
  EXPECT_EQ(outcome.opened, 0);
  EXPECT_EQ(store_->count_open(), 0);
}

TEST_P(FailureTest, EachTargetAndCheckCountsItsOwnFailures) {
  store_->apply_failure(failure("tikv", "latency", "down", at_seconds(0)));
  store_->apply_failure(failure("tikv", "latency", "down", at_seconds(30)));
  EXPECT_EQ(store_->apply_failure(failure("tikv", "store_up", "down", at_seconds(30)))
                .consecutive_failures,
            1);
  EXPECT_EQ(store_->apply_failure(failure("other", "latency", "down", at_seconds(30)))
                .consecutive_failures,
            1);
  // Another check's success ends nothing here.
  store_->apply_success(run("tikv", "store_up", at_seconds(45), {}));
  EXPECT_EQ(store_->apply_failure(failure("tikv", "latency", "down", at_seconds(60)))
                .consecutive_failures,
            3);
  EXPECT_EQ(store_->count_open(), 1);
}

TEST_P(FailureTest, TheFailedTicketTakesTheGivenSeverity) {
  store_->apply_failure(
      failure("tikv", "store_up", "PD unreachable", at_seconds(0), 1, Severity::critical));
  Ticket failed = open_ticket("tikv/store_up:failed");
  EXPECT_EQ(failed.severity, Severity::critical);
  // A new severity (the config changed) on the next failure is an update.
  store_->apply_failure(
      failure("tikv", "store_up", "PD unreachable", at_seconds(30), 1, Severity::info));
  failed = open_ticket("tikv/store_up:failed");
  EXPECT_EQ(failed.severity, Severity::info);
  const auto events = store_->events(failed.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].to_status, "updated");
  EXPECT_EQ(events[1].note, "severity critical -> info");
}

TEST_P(FailureTest, AHeldFailedTicketStaysAfterSuccess) {
  store_->apply_failure(failure("tikv", "latency", "prometheus down", at_seconds(0), 1));
  const Ticket failed = open_ticket("tikv/latency:failed");
  store_->hold(failed.id, "alice", "");
  const auto outcome = store_->apply_success(run("tikv", "latency", at_seconds(30), {}));
  EXPECT_EQ(outcome.held_kept, 1);
  EXPECT_EQ(store_->get(failed.id)->status, Status::open);
}

}  // namespace
}  // namespace opr::tickets::test
