// A violation back soon after its ticket resolved reopens that ticket, and
// a ticket that keeps reopening is flagged flapping until it goes quiet.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store_fixture.h"

namespace opr::tickets::test {
namespace {

using std::chrono::seconds;

class FlappingTest : public StoreTest {
 protected:
  // The violation of store 1 seen at `t`, gone at `t` + 60.
  int64_t toggle(int64_t t) {
    store_->apply_success(run("tikv", "store_up", at_seconds(t), {violation("1")}));
    const int64_t id = open_ticket("tikv/store_up/1").id;
    store_->apply_success(run("tikv", "store_up", at_seconds(t + 60), {}));
    return id;
  }
  // Every ticket, resolved ones too, newest first.
  std::vector<Ticket> everything() {
    ListFilter filter;
    filter.include_resolved = true;
    return store_->list(filter);
  }
  std::vector<std::string> names(int64_t id) {
    std::vector<std::string> list;
    for (const auto& event : store_->events(id)) list.push_back(event_name(event));
    return list;
  }
};
OPR_STORE_BACKENDS(FlappingTest);

TEST_P(FlappingTest, ARecurrenceWithinTheWindowReopensTheResolvedTicket) {
  const int64_t first = toggle(0);
  const auto outcome =
      store_->apply_success(run("tikv", "store_up", at_seconds(600), {violation("1", "again")}));
  EXPECT_EQ(outcome.opened, 1);
  const Ticket ticket = open_ticket("tikv/store_up/1");
  EXPECT_EQ(ticket.id, first);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_EQ(ticket.occurrence_count, 2);
  EXPECT_EQ(ticket.message, "again");
  EXPECT_FALSE(ticket.resolved_at.has_value());
  EXPECT_EQ(ticket.first_seen_at, at_seconds(0));  // the same problem, back
  EXPECT_EQ(ticket.last_seen_at, at_seconds(600));
  EXPECT_FALSE(ticket.flapping);
  EXPECT_EQ(event_path(first),
            (std::vector<std::string>{">open", "open>resolved", "resolved>open"}));
  EXPECT_EQ(names(first), (std::vector<std::string>{"opened", "resolved", "reopened"}));
  EXPECT_EQ(everything().size(), 1u);
}

TEST_P(FlappingTest, ARecurrenceAfterTheWindowOpensANewTicket) {
  const int64_t first = toggle(0);
  store_->apply_success(run("tikv", "store_up", at_seconds(60 + 3601), {violation("1")}));
  const Ticket second = open_ticket("tikv/store_up/1");
  EXPECT_NE(second.id, first);
  EXPECT_EQ(second.occurrence_count, 1);
  EXPECT_EQ(store_->get(first)->status, Status::resolved);
}

TEST_P(FlappingTest, FourTogglesMakeOneTicketOfFourOccurrencesFlaggedAtTheThirdReopen) {
  int64_t id = 0;
  for (int toggles = 1; toggles <= 4; ++toggles) {
    const int64_t this_one = toggle((toggles - 1) * 600);
    if (toggles == 1) id = this_one;
    EXPECT_EQ(this_one, id);
    EXPECT_EQ(store_->get(id)->flapping, toggles == 4) << "toggle " << toggles;
  }
  const Ticket ticket = *store_->get(id);
  EXPECT_EQ(ticket.occurrence_count, 4);
  EXPECT_EQ(ticket.status, Status::resolved);  // a flapping ticket still resolves
  const auto events = store_->events(id);
  ASSERT_EQ(events.size(), 9u);
  EXPECT_EQ(event_name(events[7]), "flapping");
  EXPECT_FALSE(is_status_change(events[7]));
  EXPECT_EQ(events[7].from_status, "open");
  EXPECT_EQ(events[7].note, "reopened 3 times within 1h");
}

TEST_P(FlappingTest, ReopensSpreadWiderThanTheWindowAreNotFlapping) {
  for (int toggles = 0; toggles < 5; ++toggles) {
    toggle(toggles * 1900);  // each back within the hour, but 2 reopens an hour
    EXPECT_FALSE(everything().front().flapping);
  }
  EXPECT_EQ(everything().size(), 1u);
}

TEST_P(FlappingTest, ThresholdAndWindowAreSettable) {
  reopen(StoreOptions{2, std::chrono::minutes(5), nullptr});
  const int64_t id = toggle(0);
  toggle(120);
  EXPECT_FALSE(store_->get(id)->flapping);
  toggle(240);
  EXPECT_TRUE(store_->get(id)->flapping);
  toggle(240 + 60 + 301);  // resolved longer than the window ago: a new ticket
  EXPECT_EQ(everything().size(), 2u);
}

TEST_P(FlappingTest, TheFlagClearsAfterAQuietWindowOnce) {
  int64_t id = 0;
  for (int toggles = 0; toggles < 4; ++toggles) id = toggle(toggles * 600);
  const int64_t last_reopen = 3 * 600;
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 3599)).size(), 0u);
  EXPECT_TRUE(store_->get(id)->flapping);
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 3600)), std::vector<int64_t>{id});
  EXPECT_FALSE(store_->get(id)->flapping);
  const auto events = store_->events(id);
  EXPECT_EQ(event_name(events.back()), "flapping_cleared");
  EXPECT_EQ(events.back().from_status, "resolved");
  EXPECT_EQ(events.back().note, "not reopened within 1h");
  EXPECT_EQ(store_->stop_flapping(at_seconds(last_reopen + 7200)).size(), 0u);
}

TEST_P(FlappingTest, AnOpenTicketThatStopsReopeningLosesTheFlagToo) {
  int64_t id = 0;
  for (int toggles = 0; toggles < 3; ++toggles) id = toggle(toggles * 600);
  // The fourth time it stays: steadily failing, no longer flapping.
  store_->apply_success(run("tikv", "store_up", at_seconds(1800), {violation("1")}));
  EXPECT_TRUE(store_->get(id)->flapping);
  EXPECT_EQ(store_->stop_flapping(at_seconds(1800 + 1800)).size(), 0u);
  EXPECT_EQ(store_->stop_flapping(at_seconds(1800 + 3600)).size(), 1u);
  const Ticket ticket = *store_->get(id);
  EXPECT_FALSE(ticket.flapping);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_EQ(store_->events(id).back().from_status, "open");
}

TEST_P(FlappingTest, FlappingAgainAfterItClearedIsANewEpisode) {
  int64_t id = 0;
  for (int toggles = 0; toggles < 4; ++toggles) id = toggle(toggles * 600);
  store_->stop_flapping(at_seconds(1800 + 3600));
  // Back more than the window after its last resolve (at 1860): a new ticket.
  const int64_t later = 1860 + 3600 + 100;
  for (int toggles = 0; toggles < 4; ++toggles) toggle(later + toggles * 600);
  const auto all = everything();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all.front().flapping);  // the newest
  EXPECT_FALSE(store_->get(id)->flapping);
}

TEST_P(FlappingTest, ATicketAPersonResolvedReopensWithItsDiagnosis) {
  store_->apply_success(run("tikv", "store_up", at_seconds(0), {violation("1")}));
  const int64_t id = open_ticket("tikv/store_up/1").id;
  store_->diagnose(id, "alice", "bad disk");
  store_->resolve(id, "alice", "replaced");
  store_->apply_success(run("tikv", "store_up", at_seconds(0) + seconds(60), {violation("1")}));
  const Ticket ticket = open_ticket("tikv/store_up/1");
  EXPECT_EQ(ticket.id, id);
  EXPECT_EQ(ticket.status, Status::open);
  EXPECT_EQ(ticket.diagnosis, "bad disk");
}

TEST_P(FlappingTest, AFailedChecksTicketReopensToo) {
  store_->apply_failure(failure("tikv", "store_up", "PD down", at_seconds(0), 1));
  const int64_t id = open_ticket("tikv/store_up:failed").id;
  store_->apply_success(run("tikv", "store_up", at_seconds(30), {}));
  store_->apply_failure(failure("tikv", "store_up", "PD down again", at_seconds(60), 1));
  const Ticket ticket = open_ticket("tikv/store_up:failed");
  EXPECT_EQ(ticket.id, id);
  EXPECT_EQ(ticket.occurrence_count, 2);
}

TEST(EventNames, FlagsAreNotStatusChangesAndOlderNamesReadAsToday) {
  auto event = [](std::string from, std::string to) {
    TicketEvent e;
    e.from_status = std::move(from);
    e.to_status = std::move(to);
    return e;
  };
  EXPECT_EQ(event_name(event("", "open")), "opened");
  EXPECT_EQ(event_name(event("resolved", "open")), "reopened");
  EXPECT_EQ(event_name(event("open", "acknowledged")), "acknowledged");
  EXPECT_TRUE(is_status_change(event("open", "resolved")));
  for (const auto& [stored, name] :
       std::vector<std::pair<std::string, std::string>>{{"hold", "hold"},
                                                        {"held", "hold"},
                                                        {"unheld", "unhold"},
                                                        {"flapping", "flapping"},
                                                        {"flapping stopped", "flapping_cleared"},
                                                        {"seen again", "seen_again"}}) {
    EXPECT_FALSE(is_status_change(event("open", stored))) << stored;
    EXPECT_EQ(event_name(event("open", stored)), name) << stored;
  }
}

}  // namespace
}  // namespace opr::tickets::test
