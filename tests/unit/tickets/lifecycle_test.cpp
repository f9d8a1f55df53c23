// Every change a person may make to a ticket, and every one they may not.
#include <gtest/gtest.h>

#include "store_fixture.h"
#include "tickets/lifecycle.h"

namespace opr::tickets::test {
namespace {

class LifecycleTest : public StoreTest {
 protected:
  // A fresh open ticket (each on its own key), brought to `status`.
  Ticket ticket_in(Status status, bool held = false) {
    const std::string subject = "s" + std::to_string(next_++);
    store_->apply_success(run("db", "check", at_seconds(next_), {violation(subject)}));
    Ticket ticket = open_ticket(violation_key("db", "check", subject));
    if (status == Status::acknowledged) ticket = store_->acknowledge(ticket.id, "alice", "");
    if (status == Status::diagnosed) ticket = store_->diagnose(ticket.id, "alice", "disk full");
    if (held) ticket = store_->hold(ticket.id, "alice", "");
    if (status == Status::resolved) ticket = store_->resolve(ticket.id, "alice", "");
    EXPECT_EQ(ticket.status, status);
    return ticket;
  }

  // The message of the refusal, or "" when the change was allowed.
  template <typename Change>
  std::string refused(Change change) {
    return opr::test::error_of<TicketError>(change);
  }

  int next_ = 1;
};
OPR_STORE_BACKENDS(LifecycleTest);

TEST_P(LifecycleTest, OpenCanBeAcknowledgedDiagnosedOrResolved) {
  Ticket ticket = ticket_in(Status::open);
  EXPECT_EQ(store_->acknowledge(ticket.id, "alice", "on it").status, Status::acknowledged);

  ticket = ticket_in(Status::open);
  const Ticket diagnosed = store_->diagnose(ticket.id, "alice", "the disk is full\nsee df");
  EXPECT_EQ(diagnosed.status, Status::diagnosed);
  EXPECT_EQ(diagnosed.diagnosis, "the disk is full\nsee df");

  ticket = ticket_in(Status::open);
  const Ticket resolved = store_->resolve(ticket.id, "alice", "fixed by hand");
  EXPECT_EQ(resolved.status, Status::resolved);
  ASSERT_TRUE(resolved.resolved_at.has_value());
}

TEST_P(LifecycleTest, AcknowledgedCanBeDiagnosedOrResolved) {
  Ticket ticket = ticket_in(Status::acknowledged);
  EXPECT_EQ(store_->diagnose(ticket.id, "alice", "cause").status, Status::diagnosed);
  ticket = ticket_in(Status::acknowledged);
  EXPECT_EQ(store_->resolve(ticket.id, "alice", "").status, Status::resolved);
}

TEST_P(LifecycleTest, DiagnosedCanBeResolved) {
  const Ticket ticket = ticket_in(Status::diagnosed);
  EXPECT_EQ(store_->resolve(ticket.id, "alice", "").status, Status::resolved);
}

TEST_P(LifecycleTest, RefusalsNameTheTicketItsStatusAndWhatIsAllowed) {
  Ticket ticket = ticket_in(Status::acknowledged);
  EXPECT_EQ(refused([&] { store_->acknowledge(ticket.id, "bob", ""); }),
            "ticket " + std::to_string(ticket.id) +
                " is acknowledged; it can go to diagnosed or resolved");

  ticket = ticket_in(Status::diagnosed);
  EXPECT_EQ(
      refused([&] { store_->acknowledge(ticket.id, "bob", ""); }),
      "ticket " + std::to_string(ticket.id) + " is diagnosed; it can go to diagnosed or resolved");
}

TEST_P(LifecycleTest, AnAcknowledgementsEndGoesWithItsStatus) {
  const TimePoint until = now_ms() + std::chrono::hours(4);
  Ticket ticket = ticket_in(Status::open);
  EXPECT_EQ(store_->acknowledge(ticket.id, "alice", "", until).acknowledged_until, until);
  EXPECT_FALSE(store_->diagnose(ticket.id, "alice", "x").acknowledged_until.has_value());
  // The monitor's auto-resolve of a ticket acknowledged with an end.
  ticket = ticket_in(Status::open);
  store_->acknowledge(ticket.id, "alice", "", until);
  store_->apply_success(run("db", "check", at_seconds(next_), {}));
  const Ticket resolved = *store_->get(ticket.id);
  EXPECT_EQ(resolved.status, Status::resolved);
  EXPECT_FALSE(resolved.acknowledged_until.has_value());
  EXPECT_EQ(store_->expire_acknowledgements(until).size(), 0u);
}

TEST_P(LifecycleTest, ADiagnosedTicketCanBeDiagnosedAgain) {
  const Ticket ticket = ticket_in(Status::diagnosed);
  EXPECT_EQ(store_->diagnose(ticket.id, "bob", "the real cause").diagnosis, "the real cause");
}

TEST_P(LifecycleTest, ResolvedIsFinal) {
  const Ticket ticket = ticket_in(Status::resolved);
  const std::string final_text =
      "ticket " + std::to_string(ticket.id) + " is resolved; resolved is final";
  EXPECT_EQ(refused([&] { store_->acknowledge(ticket.id, "bob", ""); }), final_text);
  EXPECT_EQ(refused([&] { store_->diagnose(ticket.id, "bob", "x"); }), final_text);
  EXPECT_EQ(refused([&] { store_->resolve(ticket.id, "bob", ""); }), final_text);
  EXPECT_EQ(refused([&] { store_->hold(ticket.id, "bob", ""); }), final_text);
  EXPECT_EQ(refused([&] { store_->unhold(ticket.id, "bob", ""); }), final_text);
  // Nothing changed, and nothing was written to its history.
  EXPECT_EQ(store_->get(ticket.id)->status, Status::resolved);
  EXPECT_EQ(event_path(ticket.id).back(), "open>resolved");
}

TEST_P(LifecycleTest, HoldAndUnholdOnEveryOpenStatus) {
  for (Status status : {Status::open, Status::acknowledged, Status::diagnosed}) {
    const Ticket ticket = ticket_in(status);
    const Ticket held = store_->hold(ticket.id, "alice", "maintenance");
    EXPECT_TRUE(held.held);
    EXPECT_EQ(held.status, status);
    EXPECT_EQ(refused([&] { store_->hold(ticket.id, "alice", ""); }),
              "ticket " + std::to_string(ticket.id) + " is already held");
    const Ticket unheld = store_->unhold(ticket.id, "alice", "done");
    EXPECT_FALSE(unheld.held);
    EXPECT_EQ(refused([&] { store_->unhold(ticket.id, "alice", ""); }),
              "ticket " + std::to_string(ticket.id) + " is not held");
  }
}

TEST_P(LifecycleTest, ResolvingAHeldTicketReleasesTheHoldAndSaysSo) {
  const Ticket ticket = ticket_in(Status::acknowledged, /*held=*/true);
  const Ticket resolved = store_->resolve(ticket.id, "alice", "replaced the disk");
  EXPECT_EQ(resolved.status, Status::resolved);
  EXPECT_FALSE(resolved.held);
  EXPECT_EQ(event_path(ticket.id),
            (std::vector<std::string>{">open", "open>acknowledged", "acknowledged>hold",
                                      "acknowledged>unhold", "acknowledged>resolved"}));
}

TEST_P(LifecycleTest, UnknownTicket) {
  EXPECT_EQ(refused([&] { store_->acknowledge(99, "alice", ""); }), "no ticket 99");
  EXPECT_EQ(refused([&] { store_->hold(99, "alice", ""); }), "no ticket 99");
  EXPECT_FALSE(store_->get(99).has_value());
}

TEST_P(LifecycleTest, AnEmptyDiagnosisIsRefused) {
  const Ticket ticket = ticket_in(Status::open);
  EXPECT_EQ(refused([&] { store_->diagnose(ticket.id, "alice", " \n"); }),
            "a diagnosis needs some text");
  EXPECT_EQ(store_->get(ticket.id)->status, Status::open);
}

TEST_P(LifecycleTest, EveryChangeIsInTheTimelineWithWhoAndWhy) {
  const Ticket ticket = ticket_in(Status::open);
  store_->acknowledge(ticket.id, "alice", "looking");
  store_->diagnose(ticket.id, "bob", "region 12 is stuck\nlong story");
  store_->resolve(ticket.id, "carol", "restarted tikv-3");
  const auto events = store_->events(ticket.id);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].actor, "monitor");
  EXPECT_EQ(events[0].to_status, "open");
  EXPECT_EQ(events[1].actor, "alice");
  EXPECT_EQ(events[1].note, "looking");
  EXPECT_EQ(events[2].actor, "bob");
  EXPECT_EQ(events[2].note, "diagnosis: region 12 is stuck");
  EXPECT_EQ(events[3].actor, "carol");
  EXPECT_EQ(events[3].from_status, "diagnosed");
  EXPECT_EQ(events[3].to_status, "resolved");
  EXPECT_EQ(events[3].note, "restarted tikv-3");
  for (size_t i = 1; i < events.size(); ++i) EXPECT_GE(events[i].at, events[i - 1].at);
}

TEST(LifecycleRules, AllowedNext) {
  EXPECT_EQ(allowed_next(Status::open),
            (std::vector<Status>{Status::acknowledged, Status::diagnosed, Status::resolved}));
  EXPECT_EQ(allowed_next(Status::acknowledged),
            (std::vector<Status>{Status::diagnosed, Status::resolved}));
  EXPECT_EQ(allowed_next(Status::diagnosed),
            (std::vector<Status>{Status::diagnosed, Status::resolved}));
  EXPECT_TRUE(allowed_next(Status::resolved).empty());
}

}  // namespace
}  // namespace opr::tickets::test
