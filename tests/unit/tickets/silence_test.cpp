// Silences: a silenced ticket is opened, counted and resolved as ever, but
// what it owes receivers is held back while the silence lasts.
#include <gtest/gtest.h>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

using namespace std::chrono_literals;

// Every event goes to "pager".
class PagerRouter : public NotificationRouter {
 public:
  Route route(const RouteQuery&) const override { return Route{{"pager"}, {}, {}, "tikv"}; }
};

Silence silence(const std::string& target, std::optional<std::string> check,
                std::optional<std::string> subject, TimePoint starts, TimePoint ends) {
  Silence s;
  s.target = target;
  s.check = std::move(check);
  s.subject = std::move(subject);
  s.starts_at = starts;
  s.ends_at = ends;
  s.author = "alice";
  s.comment = "decommissioning store 4";
  return s;
}

class SilenceTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    StoreOptions options;
    options.router = std::make_shared<PagerRouter>();
    reopen(options);
  }
  // The states of a ticket's notifications, oldest first.
  std::vector<std::string> states(int64_t ticket_id) {
    std::vector<std::string> rows;
    for (const auto& n : store_->notifications(ticket_id)) {
      rows.push_back(std::string(to_string(n.event)) + ":" + std::string(to_string(n.state)));
    }
    return rows;
  }
};
OPR_STORE_BACKENDS(SilenceTest);

TEST(SilenceCovers, TargetCheckAndSubjectEachNarrowIt) {
  const Silence target = silence("tikv", {}, {}, at_seconds(0), at_seconds(60));
  EXPECT_TRUE(target.covers("tikv", "store_up", "4", at_seconds(0)));
  EXPECT_TRUE(target.covers("tikv", "latency", "", at_seconds(59)));
  EXPECT_FALSE(target.covers("tikv", "store_up", "4", at_seconds(60))) << "ends_at is exclusive";
  EXPECT_FALSE(target.covers("tikv", "store_up", "4", at_seconds(-1))) << "not begun";
  EXPECT_FALSE(target.covers("tikv-2", "store_up", "4", at_seconds(1)));

  const Silence check = silence("tikv", "store_up", {}, at_seconds(0), at_seconds(60));
  EXPECT_TRUE(check.covers("tikv", "store_up", "9", at_seconds(1)));
  EXPECT_TRUE(check.covers("tikv", "store_up:failed", "", at_seconds(1)))
      << "a check's :failed ticket is silenced with it";
  EXPECT_FALSE(check.covers("tikv", "latency", "9", at_seconds(1)));

  const Silence subject = silence("tikv", "store_up", "4", at_seconds(0), at_seconds(60));
  EXPECT_TRUE(subject.covers("tikv", "store_up", "4", at_seconds(1)));
  EXPECT_FALSE(subject.covers("tikv", "store_up", "5", at_seconds(1)));
}

TEST_P(SilenceTest, ASilencedTicketOpensAndResolvesButNotifiesNobody) {
  const Silence stored = store_->add_silence(
      silence("tikv", "store_up", "4", at_seconds(-10), at_seconds(3600)), at_seconds(-10));
  EXPECT_GT(stored.id, 0);
  EXPECT_EQ(stored.author, "alice");
  EXPECT_EQ(stored.created_at, at_seconds(-10));

  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("4"), violation("5")}));
  store_->apply_success(run("tikv", "store_up", at_seconds(30), {violation("4"), violation("5")}));
  const Ticket silenced = open_ticket("tikv/store_up/4");
  EXPECT_EQ(silenced.occurrence_count, 2) << "still counted";
  EXPECT_EQ(states(silenced.id), (std::vector<std::string>{"opened:silenced"}));
  EXPECT_EQ(store_->notifications(silenced.id).at(0).last_error,
            "silenced by silence " + std::to_string(stored.id));
  const Ticket loud = open_ticket("tikv/store_up/5");
  EXPECT_EQ(states(loud.id), (std::vector<std::string>{"opened:pending"}));

  store_->apply_success(run("tikv", "store_up", at_seconds(60), {}));
  EXPECT_EQ(store_->get(silenced.id)->status, Status::resolved) << "still resolved";
  EXPECT_EQ(states(silenced.id),
            (std::vector<std::string>{"opened:silenced", "resolved:silenced"}));
  EXPECT_TRUE(store_->due_notifications(at_seconds(3600), 100).size() == 2u)
      << "only the loud ticket's two are due";
}

TEST_P(SilenceTest, AnExpiredSilenceStopsApplyingByItself) {
  store_->add_silence(silence("tikv", {}, {}, at_seconds(-10), at_seconds(10)), at_seconds(-10));
  store_->apply_success(run("tikv", "store_up", at_seconds(20), {violation("4")}));
  EXPECT_EQ(states(open_ticket("tikv/store_up/4").id),
            (std::vector<std::string>{"opened:pending"}));
}

TEST_P(SilenceTest, ASilenceSetAfterTheEventHoldsBackWhatIsStillPending) {
  store_->apply_success(run("tikv", "store_up", now_ms(), {violation("4")}));
  const Ticket ticket = open_ticket("tikv/store_up/4");
  EXPECT_FALSE(store_->silence_of(ticket, now_ms()).has_value());
  const Silence stored =
      store_->add_silence(silence("tikv", {}, {}, now_ms(), now_ms() + 1h), now_ms());
  EXPECT_EQ(store_->silence_of(ticket, now_ms()), stored.id);
  // The sender asks before each attempt and records it so.
  const Notification pending = store_->notifications(ticket.id).at(0);
  store_->record_silenced(pending.id, stored.id);
  EXPECT_EQ(states(ticket.id), (std::vector<std::string>{"opened:silenced"}));
}

TEST_P(SilenceTest, ListingAndShowingMarkTheSilencedTicketsUntilTheSilenceEnds) {
  store_->apply_success(run("tikv", "store_up", now_ms(), {violation("4"), violation("5")}));
  const Silence stored =
      store_->add_silence(silence("tikv", "store_up", "4", now_ms(), now_ms() + 1h), now_ms());
  EXPECT_EQ(open_ticket("tikv/store_up/4").silenced_by, stored.id);
  EXPECT_FALSE(open_ticket("tikv/store_up/5").silenced_by.has_value());
  EXPECT_EQ(store_->get(open_ticket("tikv/store_up/4").id)->silenced_by, stored.id);

  const Silence ended = store_->expire_silence(stored.id, "bob", now_ms());
  EXPECT_EQ(ended.expired_by, "bob");
  EXPECT_LE(ended.ends_at, now_ms());
  EXPECT_FALSE(open_ticket("tikv/store_up/4").silenced_by.has_value());
  EXPECT_TRUE(store_->silences(now_ms(), false).empty());
  ASSERT_EQ(store_->silences(now_ms(), true).size(), 1u);
  EXPECT_EQ(store_->silences(now_ms(), true)[0].id, stored.id);
}

TEST_P(SilenceTest, SilencesAreListedNewestFirst) {
  const Silence first =
      store_->add_silence(silence("a", {}, {}, now_ms(), now_ms() + 1h), now_ms());
  const Silence second =
      store_->add_silence(silence("b", "c", "d", now_ms(), now_ms() + 2h), now_ms());
  const auto listed = store_->silences(now_ms(), false);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, second.id);
  EXPECT_EQ(listed[0].check, "c");
  EXPECT_EQ(listed[0].subject, "d");
  EXPECT_EQ(listed[1].id, first.id);
  EXPECT_FALSE(listed[1].check.has_value());
}

TEST_P(SilenceTest, NonsenseSilencesAreRefusedWithAReason) {
  const TimePoint now = now_ms();
  EXPECT_THROW(store_->add_silence(silence("tikv", {}, {}, now, now), now), TicketError);
  EXPECT_THROW(store_->add_silence(silence("tikv", {}, {}, now - 2h, now - 1h), now), TicketError);
  EXPECT_THROW(store_->add_silence(silence("", {}, {}, now, now + 1h), now), TicketError);
  EXPECT_THROW(store_->expire_silence(42, "bob", now), TicketError);
  const Silence stored = store_->add_silence(silence("tikv", {}, {}, now, now + 1h), now);
  store_->expire_silence(stored.id, "bob", now + 1s);
  try {
    store_->expire_silence(stored.id, "bob", now + 2s);
    ADD_FAILURE() << "expired twice";
  } catch (const TicketError& e) {
    EXPECT_EQ(std::string(e.what()), "silence " + std::to_string(stored.id) + " has already ended");
  }
}

}  // namespace
}  // namespace opr::tickets::test
