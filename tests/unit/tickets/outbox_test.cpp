// The outbox: every ticket event receivers care about writes one row per
// matching receiver, in the event's own transaction.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <stdexcept>

#include "store_fixture.h"
#include "tickets/ticket_json.h"

namespace opr::tickets::test {
namespace {

// "pager" hears of critical tickets, "chat" of every ticket of target
// "tikv"; both get the same labels and annotations.
class TestRouter : public NotificationRouter {
 public:
  Route route(const RouteQuery& query) const override {
    if (throw_on_route) throw std::runtime_error("router broke");
    Route route;
    if (query.severity == Severity::critical) route.receivers.push_back("pager");
    if (query.target == "tikv") route.receivers.push_back("chat");
    route.labels = {{"team", "storage"}};
    route.annotations = {{"runbook_url", "https://runbooks/" + query.check}};
    return route;
  }
  // "chat" reminds of open tickets every hour.
  bool repeats() const override { return true; }
  std::vector<std::string> repeating_receivers() const override { return {"chat"}; }
  std::chrono::milliseconds repeat_interval(const std::string& receiver) const override {
    return receiver == "chat" ? std::chrono::hours(1) : std::chrono::milliseconds(0);
  }
  mutable bool throw_on_route = false;
};

class OutboxTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    router_ = std::make_shared<TestRouter>();
    reopen(options());
  }
  StoreOptions options() const {
    StoreOptions options;
    options.router = router_;
    return options;
  }
  // "receiver:event" of each of a ticket's notifications, oldest first.
  std::vector<std::string> sent(int64_t ticket_id) {
    std::vector<std::string> rows;
    for (const auto& n : store_->notifications(ticket_id)) {
      rows.push_back(n.receiver + ":" + std::string(to_string(n.event)));
    }
    return rows;
  }
  Ticket open_critical(const std::string& subject = "4") {
    store_->apply_success(run("tikv", "store_up", at_seconds(0),
                              {violation(subject, "store is Down", {}, Severity::critical)}));
    return open_ticket("tikv/store_up/" + subject);
  }

  std::shared_ptr<TestRouter> router_;
};
OPR_STORE_BACKENDS(OutboxTest);

TEST_P(OutboxTest, AnOpenedTicketOwesEachMatchingReceiverOnePendingNotification) {
  const Ticket ticket = open_critical();
  const auto notifications = store_->notifications(ticket.id);
  ASSERT_EQ(notifications.size(), 2u);
  EXPECT_EQ(sent(ticket.id), (std::vector<std::string>{"pager:opened", "chat:opened"}));
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (const auto& n : notifications) {
    EXPECT_EQ(n.ticket_id, ticket.id);
    EXPECT_EQ(n.state, DeliveryState::pending);
    EXPECT_EQ(n.attempts, 0);
    EXPECT_EQ(n.next_attempt_at, at_seconds(0));
    EXPECT_EQ(n.created_at, at_seconds(0));
    EXPECT_TRUE(n.last_error.empty());
    EXPECT_FALSE(n.delivered_at.has_value());
    EXPECT_TRUE(std::regex_match(n.uid, uuid)) << n.uid;
  }
  EXPECT_NE(notifications[0].uid, notifications[1].uid);
}

TEST_P(OutboxTest, ThePayloadCarriesTheIdTheEventTheTicketAndTheConfiguredLabels) {
  const Ticket ticket = open_critical();
  const auto n = store_->notifications(ticket.id).at(0);
  EXPECT_FALSE(nlohmann::json::parse(n.payload).contains("ticket")) << "added when sent";
  const auto body = nlohmann::json::parse(notification_body(n, *store_->get(ticket.id)));
  std::vector<std::string> keys;
  const auto ordered = nlohmann::ordered_json::parse(notification_body(n, ticket));
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"notification_id", "receiver", "pack", "event",
                                            "ticket", "labels", "annotations"}));
  EXPECT_EQ(body["notification_id"], n.uid);
  EXPECT_EQ(body["receiver"], "pager");
  EXPECT_EQ(body["event"]["kind"], "opened");
  EXPECT_EQ(body["event"]["at"], format_utc(at_seconds(0)));
  EXPECT_EQ(body["event"]["actor"], "monitor");
  EXPECT_EQ(body["event"]["note"], "store is Down");
  EXPECT_EQ(body["ticket"]["id"], ticket.id);
  EXPECT_EQ(body["ticket"]["violation_key"], "tikv/store_up/4");
  EXPECT_EQ(body["ticket"]["status"], "open");
  EXPECT_EQ(body["ticket"]["severity"], "critical");
  EXPECT_EQ(body["ticket"]["metric_snapshot"]["value"], 1);
  EXPECT_EQ(body["labels"], nlohmann::json({{"team", "storage"}}));
  EXPECT_EQ(body["annotations"], nlohmann::json({{"runbook_url", "https://runbooks/store_up"}}));
}

TEST_P(OutboxTest, WithoutARouterNothingIsWritten) {
  reopen({});
  const Ticket ticket = open_critical();
  store_->acknowledge(ticket.id, "alice", "looking");
  EXPECT_TRUE(store_->notifications(ticket.id).empty());
}

TEST_P(OutboxTest, AReceiverThatMatchesNothingGetsNothing) {
  store_->apply_success(run("other", "disk", at_seconds(0), {violation("1")}));  // a warning
  const Ticket ticket = open_ticket("other/disk/1");
  EXPECT_TRUE(store_->notifications(ticket.id).empty());
}

TEST_P(OutboxTest, AnAcknowledgementThatEndsNotifiesAgainWhenFound) {
  const Ticket ticket = open_critical();
  const TimePoint until = now_ms() + std::chrono::hours(4);
  store_->acknowledge(ticket.id, "alice", "looking", until);
  EXPECT_EQ(store_->get(ticket.id)->acknowledged_until, until);
  EXPECT_EQ(store_->expire_acknowledgements(until - std::chrono::milliseconds(1)).size(), 0u);
  EXPECT_EQ(store_->expire_acknowledgements(until).size(), 1u);
  EXPECT_EQ(store_->expire_acknowledgements(until).size(), 0u);  // once
  const Ticket reopened = *store_->get(ticket.id);
  EXPECT_EQ(reopened.status, Status::open);
  EXPECT_FALSE(reopened.acknowledged_until.has_value());
  EXPECT_EQ(sent(ticket.id),
            (std::vector<std::string>{"pager:opened", "chat:opened", "pager:acknowledged",
                                      "chat:acknowledged", "pager:acknowledgement_expired",
                                      "chat:acknowledgement_expired"}));
  const auto events = store_->events(ticket.id);
  EXPECT_EQ(events.back().actor, "monitor");
  EXPECT_EQ(events.back().from_status, "acknowledged");
  EXPECT_EQ(events.back().to_status, "open");
}

TEST_P(OutboxTest, PeoplesChangesNotifyWithTheirActorAndHoldsDoNot) {
  const Ticket ticket = open_critical();
  store_->hold(ticket.id, "alice", "keep it");
  store_->unhold(ticket.id, "alice", "");
  store_->acknowledge(ticket.id, "alice", "looking");
  store_->diagnose(ticket.id, "bob", "disk controller failed");
  store_->resolve(ticket.id, "bob", "replaced");
  EXPECT_EQ(sent(ticket.id),
            (std::vector<std::string>{"pager:opened", "chat:opened", "pager:acknowledged",
                                      "chat:acknowledged", "pager:diagnosed", "chat:diagnosed",
                                      "pager:resolved", "chat:resolved"}));
  const auto rows = store_->notifications(ticket.id);
  const auto diagnosed = nlohmann::json::parse(rows[4].payload);
  EXPECT_EQ(diagnosed["event"]["actor"], "bob");
  EXPECT_EQ(diagnosed["event"]["note"], "disk controller failed");
  // Sent now, it carries the ticket as it is now: resolved, with its
  // diagnosis.
  const auto body = nlohmann::json::parse(notification_body(rows[4], *store_->get(ticket.id)));
  EXPECT_EQ(body["ticket"]["status"], "resolved");
  EXPECT_EQ(body["ticket"]["diagnosis"], "disk controller failed");
}

TEST_P(OutboxTest, TheMonitorNotifiesSeverityChangesAndResolutions) {
  store_->apply_success(run("tikv", "latency", at_seconds(0), {violation("1", "p99 120ms")}));
  store_->apply_success(run("tikv", "latency", at_seconds(30), {violation("1", "p99 130ms")}));
  store_->apply_success(run("tikv", "latency", at_seconds(60),
                            {violation("1", "p99 900ms", {}, Severity::critical)}));
  const int64_t id = open_ticket("tikv/latency/1").id;
  store_->apply_success(run("tikv", "latency", at_seconds(90), {}));
  // A warning reaches chat only; once critical, pager too.
  EXPECT_EQ(sent(id),
            (std::vector<std::string>{"chat:opened", "pager:severity_changed",
                                      "chat:severity_changed", "pager:resolved", "chat:resolved"}));
  const auto resolved =
      nlohmann::json::parse(notification_body(store_->notifications(id).back(), *store_->get(id)));
  EXPECT_EQ(resolved["event"]["actor"], "monitor");
  EXPECT_EQ(resolved["event"]["at"], format_utc(at_seconds(90)));
  EXPECT_EQ(resolved["ticket"]["resolved_at"], format_utc(at_seconds(90)));
}

TEST_P(OutboxTest, AFailingCheckNotifiesWhenItsFailedTicketOpensAndResolves) {
  store_->apply_failure(failure("tikv", "store_up", "PD down", at_seconds(0), 1));
  const int64_t id = open_ticket("tikv/store_up:failed").id;
  store_->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  EXPECT_EQ(sent(id), (std::vector<std::string>{"chat:opened", "chat:resolved"}));
}

TEST_P(OutboxTest, AReopenFiresAgainAndFlappingSpeaksOnlyAtItsStartAndStop) {
  int64_t t = 0;
  int64_t id = 0;
  for (int toggles = 1; toggles <= 5; ++toggles) {
    store_->apply_success(run("tikv", "store_up", at_seconds(t), {violation("1")}));
    id = open_ticket("tikv/store_up/1").id;
    store_->apply_success(run("tikv", "store_up", at_seconds(t + 60), {}));
    t += 600;
  }
  // Opened, then each reopen fires again until the third flags it; while
  // it flaps its reopens and resolves tell nobody.
  EXPECT_EQ(sent(id), (std::vector<std::string>{"chat:opened", "chat:resolved", "chat:opened",
                                                "chat:resolved", "chat:opened", "chat:resolved",
                                                "chat:flapping_started"}));
  const auto notes = store_->notifications(id);
  const auto reopened = nlohmann::json::parse(notification_body(notes[2], *store_->get(id)));
  EXPECT_EQ(reopened["event"]["note"], "reopened: bad");

  const int64_t last_reopen = 4 * 600;
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 3599)).size(), 0u);
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 3600)).size(), 1u);
  EXPECT_EQ(sent(id).back(), "chat:flapping_stopped");
  EXPECT_EQ(event_path(id).back(), "resolved>flapping_cleared");
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 7200)).size(), 0u);  // once
}

TEST_P(OutboxTest, AnOpenTicketIsRepeatedEveryIntervalUntilSomeoneAcknowledgesIt) {
  const Ticket ticket = open_critical();  // at +0
  EXPECT_EQ(store_->repeat_notifications(at_seconds(3599)), 0);
  EXPECT_EQ(store_->repeat_notifications(at_seconds(3600)), 1);  // chat only: pager does not repeat
  EXPECT_EQ(store_->repeat_notifications(at_seconds(3601)), 0);
  EXPECT_EQ(store_->repeat_notifications(at_seconds(7200)), 1);
  const auto repeated = store_->notifications(ticket.id).back();
  EXPECT_EQ(repeated.created_at, at_seconds(7200));
  EXPECT_EQ(nlohmann::json::parse(repeated.payload)["event"]["note"], "store is Down");

  store_->acknowledge(ticket.id, "alice", "on it");
  EXPECT_EQ(store_->repeat_notifications(at_seconds(20000)), 0);
  EXPECT_EQ(sent(ticket.id),
            (std::vector<std::string>{"pager:opened", "chat:opened", "chat:repeated",
                                      "chat:repeated", "pager:acknowledged", "chat:acknowledged"}));
}

TEST_P(OutboxTest, AReceiverAddedWhileATicketIsOpenHearsOfItAtOnce) {
  reopen({});  // no receivers yet
  store_->apply_success(run("tikv", "store_up", at_seconds(0),
                            {violation("4", "store is Down", {}, Severity::critical)}));
  const Ticket ticket = open_ticket("tikv/store_up/4");
  EXPECT_TRUE(sent(ticket.id).empty());

  reopen(options());  // "chat", which repeats, is configured now
  EXPECT_EQ(store_->repeat_notifications(at_seconds(1)), 1);
  EXPECT_EQ(sent(ticket.id), (std::vector<std::string>{"chat:repeated"}));
  EXPECT_EQ(store_->repeat_notifications(at_seconds(2)), 0) << "once, then every interval";
  EXPECT_EQ(store_->repeat_notifications(at_seconds(3601)), 1);
}

TEST_P(OutboxTest, AnEventAndItsNotificationsCommitTogetherOrNotAtAll) {
  const Ticket ticket = open_critical();
  router_->throw_on_route = true;
  EXPECT_THROW(store_->acknowledge(ticket.id, "alice", "looking"), std::runtime_error);
  router_->throw_on_route = false;
  EXPECT_EQ(store_->get(ticket.id)->status, Status::open);
  EXPECT_EQ(event_path(ticket.id), (std::vector<std::string>{">open"}));
  EXPECT_EQ(sent(ticket.id), (std::vector<std::string>{"pager:opened", "chat:opened"}));

  router_->throw_on_route = true;
  EXPECT_THROW(store_->apply_success(run("tikv", "store_up", at_seconds(30), {})),
               std::runtime_error);
  router_->throw_on_route = false;
  EXPECT_EQ(store_->get(ticket.id)->status, Status::open);
}

TEST_P(OutboxTest, NotificationsOutliveTheProcessThatWroteThem) {
  const Ticket ticket = open_critical();
  const auto before = store_->notifications(ticket.id);
  reopen(options());
  const auto after = store_->notifications(ticket.id);
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].uid, before[i].uid);
    EXPECT_EQ(after[i].payload, before[i].payload);
    EXPECT_EQ(after[i].state, DeliveryState::pending);
  }
}

}  // namespace
}  // namespace opr::tickets::test
