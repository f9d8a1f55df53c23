// Cause tickets (ABI 1.3 run_fail_cause): failed runs of one target that
// name one cause make one ticket, `<target>/:failed/<cause>`, listing the
// checks it blocks; it resolves once every one of them ran again without
// failing for it. Failures without a cause keep their per-check tickets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

constexpr const char* kPd = "pd:http://pd:2379";
constexpr const char* kProm = "prometheus:http://prom:9090";
const std::string kPdKey = std::string("tikv/:failed/") + kPd;

FailedRun caused(const std::string& check, const std::string& cause, TimePoint at,
                 Severity severity = Severity::warning) {
  FailedRun run = failure("tikv", check, check + ": PD GET answered HTTP 500", at, 3, severity);
  run.cause = cause;
  return run;
}

class CauseTest : public StoreTest {
 protected:
  // One cycle: each check fails for `cause`, at +n*30 s.
  ApplyOutcome fail_all(const std::vector<std::string>& checks, const std::string& cause, int n) {
    ApplyOutcome last;
    for (const auto& check : checks) last = store_->apply_failure(caused(check, cause, at(n)));
    return last;
  }
  static TimePoint at(int n) { return at_seconds(n * 30); }
  std::vector<Ticket> open_of(const std::string& check) {
    std::vector<Ticket> found;
    for (auto& ticket : store_->list({})) {
      if (ticket.check == check) found.push_back(ticket);
    }
    return found;
  }

  const std::vector<std::string> checks_{"store_up", "latency", "disk_space"};
};
OPR_STORE_BACKENDS(CauseTest);

TEST_P(CauseTest, OneTicketOpensAtTheThresholdAndListsTheChecksItBlocks) {
  EXPECT_EQ(fail_all(checks_, kPd, 0).opened, 0);
  EXPECT_EQ(fail_all(checks_, kPd, 1).opened, 0);
  const ApplyOutcome first = store_->apply_failure(caused("store_up", kPd, at(2)));
  EXPECT_EQ(first.consecutive_failures, 3);
  EXPECT_EQ(first.opened, 1);
  ASSERT_EQ(first.causes_opened.size(), 1u);
  EXPECT_EQ(first.causes_opened[0].cause, kPd);
  EXPECT_EQ(first.causes_opened[0].blocks,
            (std::vector<std::string>{"disk_space", "latency", "store_up"}));
  EXPECT_EQ(store_->apply_failure(caused("latency", kPd, at(2))).updated, 1);
  EXPECT_EQ(store_->apply_failure(caused("disk_space", kPd, at(2))).updated, 1);

  ASSERT_EQ(store_->count_open(), 1);
  const Ticket ticket = open_ticket(kPdKey);
  EXPECT_EQ(ticket.id, first.causes_opened[0].ticket_id);
  EXPECT_EQ(ticket.target, "tikv");
  EXPECT_EQ(ticket.check, ":failed");
  EXPECT_EQ(ticket.subject, kPd);
  EXPECT_EQ(ticket.occurrence_count, 3);
  EXPECT_EQ(ticket.message, std::string(kPd) +
                                " failing; blocks disk_space, latency, store_up (disk_space: "
                                "disk_space: PD GET answered HTTP 500)");
  const auto snapshot = nlohmann::json::parse(ticket.metric_snapshot);
  EXPECT_EQ(snapshot["cause"], kPd);
  EXPECT_EQ(snapshot["blocks"], nlohmann::json::array({"disk_space", "latency", "store_up"}));
  EXPECT_EQ(snapshot["failure_threshold"], 3);
  EXPECT_TRUE(open_of("store_up:failed").empty());
  EXPECT_TRUE(open_of("latency:failed").empty());
}

// A run the host ended at its timeout names no cause; it counts for the
// cause of the streak the database holds, even on a host that never saw
// the streak (a restart, or the target moved to another host).
TEST_P(CauseTest, ARunEndedAtItsTimeoutCountsForTheStoredStreaksCause) {
  store_->apply_failure(caused("store_up", kPd, at(0)));
  store_->apply_failure(caused("store_up", kPd, at(1)));
  FailedRun timed_out = failure("tikv", "store_up", "timed out after 10s", at(2), 3);
  timed_out.ended_at_timeout = true;
  const ApplyOutcome third = store_->apply_failure(timed_out);
  EXPECT_EQ(third.consecutive_failures, 3);
  ASSERT_EQ(third.causes_opened.size(), 1u);
  EXPECT_EQ(third.causes_opened[0].cause, kPd);
  EXPECT_TRUE(open_of("store_up:failed").empty());

  // Without a streak, or not ended by the host, it is the check's own.
  FailedRun first = failure("tikv", "latency", "timed out after 10s", at(2), 3);
  first.ended_at_timeout = true;
  EXPECT_EQ(store_->apply_failure(first).consecutive_failures, 1);
  FailedRun own = failure("tikv", "store_up", "bad answer", at(3), 3);
  EXPECT_EQ(store_->apply_failure(own).consecutive_failures, 1);
}

TEST_P(CauseTest, ItResolvesOnlyOnceEveryBlockedCheckRanAgain) {
  for (int n = 0; n < 3; ++n) fail_all(checks_, kPd, n);
  const int64_t id = open_ticket(kPdKey).id;
  // PD is back for store_up; latency fails for Prometheus now (another
  // cause); disk_space has not run yet.
  EXPECT_TRUE(store_->apply_success(run("tikv", "store_up", at(3), {})).causes_resolved.empty());
  EXPECT_TRUE(store_->apply_failure(caused("latency", kProm, at(3))).causes_resolved.empty());
  EXPECT_EQ(store_->get(id)->status, Status::open);
  // Its last blocked check runs again, with a violation.
  const ApplyOutcome last =
      store_->apply_success(run("tikv", "disk_space", at(3), {violation("1")}));
  ASSERT_EQ(last.causes_resolved.size(), 1u);
  EXPECT_EQ(last.causes_resolved[0].ticket_id, id);
  EXPECT_EQ(last.causes_resolved[0].cause, kPd);
  EXPECT_EQ(store_->get(id)->status, Status::resolved);
  EXPECT_EQ(store_->events(id).back().note,
            "auto-resolved: every check it blocked ran again without failing for it");
}

TEST_P(CauseTest, AFailureForAnotherCauseEndsTheLastBlockedCheck) {
  for (int n = 0; n < 3; ++n) store_->apply_failure(caused("latency", kPd, at(n)));
  const int64_t id = open_ticket(kPdKey).id;
  const ApplyOutcome other = store_->apply_failure(caused("latency", kProm, at(3)));
  EXPECT_EQ(other.consecutive_failures, 1);  // a new streak, for the new cause
  EXPECT_EQ(other.resolved, 1);
  EXPECT_EQ(store_->get(id)->status, Status::resolved);
  // So does a failure without a cause.
  for (int n = 4; n < 7; ++n) store_->apply_failure(caused("latency", kProm, at(n)));
  const int64_t prom = open_ticket(std::string("tikv/:failed/") + kProm).id;
  store_->apply_failure(failure("tikv", "latency", "bad query", at(7)));
  EXPECT_EQ(store_->get(prom)->status, Status::resolved);
}

TEST_P(CauseTest, FailuresWithoutACauseKeepTheirPerCheckTickets) {
  for (int n = 0; n < 3; ++n) {
    for (const auto& check : checks_) {
      store_->apply_failure(failure("tikv", check, "PD unreachable", at(n)));
    }
  }
  EXPECT_EQ(store_->count_open(), 3);
  for (const auto& check : checks_) {
    const Ticket failed = open_ticket("tikv/" + check + ":failed");
    EXPECT_EQ(failed.message, "PD unreachable");
    EXPECT_FALSE(failed.blocked_by);
  }
  EXPECT_TRUE(open_of(":failed").empty());
}

TEST_P(CauseTest, TwoCausesMakeTwoTickets) {
  for (int n = 0; n < 3; ++n) {
    store_->apply_failure(caused("store_up", kPd, at(n)));
    store_->apply_failure(caused("latency", kProm, at(n)));
    store_->apply_failure(caused("disk_space", kProm, at(n)));
  }
  EXPECT_EQ(store_->count_open(), 2);
  EXPECT_EQ(nlohmann::json::parse(open_ticket(kPdKey).metric_snapshot)["blocks"],
            nlohmann::json::array({"store_up"}));
  EXPECT_EQ(nlohmann::json::parse(
                open_ticket(std::string("tikv/:failed/") + kProm).metric_snapshot)["blocks"],
            nlohmann::json::array({"disk_space", "latency"}));
  // The same cause on another target is another ticket.
  FailedRun other = caused("store_up", kPd, at(3));
  other.target = "staging";
  other.threshold = 1;
  store_->apply_failure(other);
  EXPECT_EQ(store_->count_open(), 3);
}

TEST_P(CauseTest, BlockedTicketsStayAsTheyWereAndSayWhatBlocksThem) {
  store_->apply_success(run("tikv", "store_up", at(0), {violation("2", "store 2 is Down")}));
  store_->apply_success(run("tikv", "latency", at(0), {violation("1", "slow")}));
  for (int n = 1; n < 4; ++n) fail_all({"store_up", "latency"}, kPd, n);
  const int64_t cause = open_ticket(kPdKey).id;

  // Reopened, as the CLI would: the flag is read from the database.
  reopen();
  const Ticket down = open_ticket("tikv/store_up/2");
  EXPECT_EQ(down.status, Status::open);
  EXPECT_EQ(down.occurrence_count, 1);  // failed runs are no evidence
  EXPECT_EQ(down.blocked_by, cause);
  EXPECT_EQ(down.blocked_cause, kPd);
  EXPECT_EQ(store_->get(down.id)->blocked_by, cause);
  EXPECT_FALSE(store_->get(cause)->blocked_by);  // the cause ticket blocks, it is not blocked

  // store_up runs again: its tickets are no longer blocked, latency's are.
  store_->apply_success(run("tikv", "store_up", at(4), {violation("2", "store 2 is Down")}));
  EXPECT_FALSE(store_->get(down.id)->blocked_by);
  EXPECT_EQ(open_ticket("tikv/latency/1").blocked_by, cause);
  EXPECT_EQ(store_->get(cause)->status, Status::open);
}

TEST_P(CauseTest, ACheckFailedTicketIsBlockedWithItsCheck) {
  for (int n = 0; n < 3; ++n) store_->apply_failure(failure("tikv", "latency", "oops", at(n)));
  for (int n = 3; n < 6; ++n) store_->apply_failure(caused("latency", kPd, at(n)));
  const Ticket own = open_ticket("tikv/latency:failed");
  EXPECT_EQ(own.status, Status::open);  // a failed run resolves nothing
  EXPECT_EQ(own.blocked_by, open_ticket(kPdKey).id);
}

TEST_P(CauseTest, TheTicketIsAsSevereAsTheMostSevereBlockedCheck) {
  for (int n = 0; n < 3; ++n) {
    store_->apply_failure(caused("latency", kPd, at(n), Severity::warning));
    store_->apply_failure(caused("store_up", kPd, at(n), Severity::critical));
  }
  EXPECT_EQ(open_ticket(kPdKey).severity, Severity::critical);
  // No severity change back and forth as each check fails in turn.
  store_->apply_failure(caused("latency", kPd, at(3), Severity::warning));
  EXPECT_EQ(open_ticket(kPdKey).severity, Severity::critical);
}

TEST_P(CauseTest, AHeldCauseTicketStays) {
  for (int n = 0; n < 3; ++n) store_->apply_failure(caused("latency", kPd, at(n)));
  const int64_t id = open_ticket(kPdKey).id;
  store_->hold(id, "alice", "");
  const ApplyOutcome outcome = store_->apply_success(run("tikv", "latency", at(3), {}));
  EXPECT_EQ(outcome.held_kept, 1);
  EXPECT_EQ(store_->get(id)->status, Status::open);
}

TEST_P(CauseTest, TheStreakSurvivesReopeningTheStore) {
  for (int n = 0; n < 3; ++n) {
    reopen();
    EXPECT_EQ(store_->apply_failure(caused("latency", kPd, at(n))).opened, n == 2 ? 1 : 0);
  }
}

// Routes as a receiver with `checks: [store_up]` does, from what the store
// asks: the ticket's check, or the checks a cause ticket blocks.
class StoreUpRouter : public NotificationRouter {
 public:
  Route route(const RouteQuery& query) const override {
    queries.push_back(query);
    Route route;
    const bool store_up =
        query.check == "store_up" || query.check == "store_up:failed" ||
        std::find(query.blocks.begin(), query.blocks.end(), "store_up") != query.blocks.end();
    if (store_up) route.receivers.push_back("storage");
    return route;
  }
  mutable std::vector<RouteQuery> queries;
};

TEST_P(CauseTest, ReceiversThatMatchABlockedCheckHearOfTheCause) {
  const auto router = std::make_shared<StoreUpRouter>();
  StoreOptions options;
  options.router = router;
  reopen(options);
  fail_all(checks_, kPd, 0);
  fail_all(checks_, kPd, 1);
  fail_all(checks_, kPd, 2);
  const Ticket ticket = open_ticket(kPdKey);
  const auto notifications = store_->notifications(ticket.id);
  ASSERT_EQ(notifications.size(), 1u);
  EXPECT_EQ(notifications[0].receiver, "storage");
  EXPECT_EQ(notifications[0].event, NotifyEvent::opened);
  ASSERT_FALSE(router->queries.empty());
  EXPECT_EQ(router->queries.front().check, ":failed");
  EXPECT_EQ(router->queries.front().blocks,
            (std::vector<std::string>{"disk_space", "latency", "store_up"}));
}

}  // namespace
}  // namespace opr::tickets::test
