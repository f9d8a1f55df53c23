// The monitor's lines about changed tickets and its heartbeat: one form,
// naming each ticket, cut short past kNamedTicketChanges.
#include "engine/outcome_log.h"

#include <gtest/gtest.h>

namespace opr::engine {
namespace {

using Kind = tickets::TicketChange::Kind;

TEST(OutcomeLog, EachChangedTicketIsNamedWithItsSubject) {
  const std::vector<tickets::TicketChange> changes = {
      {Kind::opened, 12, "store_up", "2"},
      {Kind::reopened, 9, "store_up", "4"},
      {Kind::resolved, 7, "store_up:failed", ""},
      {Kind::resolved, 3, "store_up", ""},
  };
  EXPECT_EQ(ticket_change_lines("prod", "store_up", changes),
            (std::vector<std::string>{"prod/store_up opened ticket 12 (subject 2)",
                                      "prod/store_up reopened ticket 9 (subject 4)",
                                      "prod/store_up resolved ticket 7 (check store_up:failed)",
                                      "prod/store_up resolved ticket 3"}));
  EXPECT_TRUE(ticket_change_lines("prod", "store_up", {}).empty());
}

TEST(OutcomeLog, PastTheLimitTheRestAreCounted) {
  std::vector<tickets::TicketChange> changes;
  for (int i = 1; i <= 10'000; ++i) {
    changes.push_back(
        {i % 4 == 0 ? Kind::resolved : Kind::opened, i, "store_up", std::to_string(i)});
  }
  const auto lines = ticket_change_lines("prod", "store_up", changes);
  ASSERT_EQ(lines.size(), kNamedTicketChanges + 1);
  EXPECT_EQ(lines.front(), "prod/store_up opened ticket 1 (subject 1)");
  EXPECT_EQ(lines[kNamedTicketChanges - 1], "prod/store_up resolved ticket 20 (subject 20)");
  // 9,980 more: of 21..10000, those divisible by 4 resolved (2,495).
  EXPECT_EQ(lines.back(), "prod/store_up changed 9980 more tickets: 7485 opened, 2495 resolved");
}

TEST(OutcomeLog, TicketsAreListedByIdTheFirstTwentyNamed) {
  EXPECT_EQ(ticket_list({12}), "ticket 12");
  EXPECT_EQ(ticket_list({3, 4}), "tickets 3 and 4");
  EXPECT_EQ(ticket_list({3, 4, 5}), "tickets 3, 4 and 5");
  std::vector<int64_t> many;
  for (int64_t id = 1; id <= 100; ++id) many.push_back(id);
  EXPECT_EQ(ticket_list(many, 3), "tickets 1, 2, 3 and 97 more");
}

TEST(OutcomeLog, ACausesTicketIsNamedWithWhatItBlocks) {
  const tickets::CauseChange opened{12, "pd:http://pd:2379", {"disk_space", "store_up"}};
  EXPECT_EQ(cause_opened_line("prod-tikv", opened),
            "prod-tikv: pd:http://pd:2379 failing; opened ticket 12, blocks disk_space, store_up");
  EXPECT_EQ(cause_resolved_line("prod-tikv", {12, "pd:http://pd:2379", {}}),
            "prod-tikv: pd:http://pd:2379 no longer failing; resolved ticket 12");
}

TEST(OutcomeLog, TheHeartbeatHasOneFormWhateverTheCycleFound) {
  EXPECT_EQ(heartbeat_line(3, 0, 0, 0),
            "Check complete: 3 checks run, 0 violations, 0 failures, 0 open tickets");
  EXPECT_EQ(heartbeat_line(33, 1, 2, 4),
            "Check complete: 33 checks run, 1 violations, 2 failures, 4 open tickets");
  EXPECT_EQ(heartbeat_line(1, 0, 0, -1),
            "Check complete: 1 checks run, 0 violations, 0 failures, open tickets unknown");
}

}  // namespace
}  // namespace opr::engine
