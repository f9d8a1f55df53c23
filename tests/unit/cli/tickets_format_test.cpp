// Tickets in the list table, the show page and JSON.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/tickets_text.h"
#include "tickets/ticket_json.h"

namespace opr::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = *parse_utc("2026-11-23T13:00:00.000Z");

tickets::Ticket sample(int64_t id, const std::string& subject, const std::string& message) {
  tickets::Ticket ticket;
  ticket.id = id;
  ticket.target = "tikv";
  ticket.check = "store_up";
  ticket.subject = subject;
  ticket.violation_key = tickets::violation_key("tikv", "store_up", subject);
  ticket.severity = Severity::critical;
  ticket.message = message;
  ticket.batch_key = "tikv@2026-11-23T12:55:00.000Z";
  ticket.occurrence_count = 12;
  ticket.first_seen_at = kNow - minutes(5);
  ticket.last_seen_at = kNow;
  ticket.metric_snapshot = R"({"state_name":"Down","store_id":4})";
  ticket.created_at = kNow - minutes(5);
  ticket.updated_at = kNow;
  return ticket;
}

TEST(TicketsFormat, Age) {
  EXPECT_EQ(age(kNow - seconds(42), kNow), "42s ago");
  EXPECT_EQ(age(kNow - minutes(5), kNow), "5m ago");
  EXPECT_EQ(age(kNow - hours(30), kNow), "30h ago");
  EXPECT_EQ(age(kNow - hours(72), kNow), "3d ago");
  EXPECT_EQ(age(kNow + seconds(3), kNow), "0s ago");  // another host's clock ahead
}

TEST(TicketsFormat, ListTableFitsEightyColumns) {
  auto first = sample(4, "4", "store 4 is Down: no heartbeat for 20 minutes, regions moving away");
  first.held = true;
  auto second = sample(12, "", "pd unreachable");
  second.status = tickets::Status::acknowledged;
  std::ostringstream out;
  print_ticket_table(out, {second, first}, 80, kNow);
  // 74 columns before the message leave it the least it keeps: 12.
  EXPECT_EQ(out.str(),
            "ID  STATUS        SEV   TARGET  CHECK     SUBJECT  COUNT  FIRST SEEN  FLAGS  MESSAGE\n"
            "12  acknowledged  crit  tikv    store_up  -           12  5m ago      -      "
            "pd unreac...\n"
            " 4  open          crit  tikv    store_up  4           12  5m ago      held   "
            "store 4 i...\n");
}

TEST(TicketsFormat, WithoutAWidthNothingIsCut) {
  const std::string message(200, 'm');
  std::ostringstream out;
  print_ticket_table(out, {sample(1, "1", message)}, 0, kNow);
  EXPECT_EQ(out.str(),
            "ID  STATUS  SEV   TARGET  CHECK     SUBJECT  COUNT  FIRST SEEN  FLAGS  MESSAGE\n"
            " 1  open    crit  tikv    store_up  1           12  5m ago      -      " +
                message + "\n");
}

// Every flag in the one column, in a fixed order; "-" when none.
TEST(TicketsFormat, TheFlagsColumnListsEveryFlag) {
  auto all = sample(7, "3", "store 3 disk 95% used");
  all.silenced_by = 2;
  all.held = true;
  all.flapping = true;
  all.unknown = true;
  auto streak = sample(5, "4", "store 4 is Down");
  streak.unknown_since = kNow - minutes(1);  // unknown, but not yet for its interval
  std::ostringstream out;
  print_ticket_table(out, {all, streak}, 0, kNow);
  // FLAGS is as wide as its widest cell (30 columns).
  EXPECT_EQ(out.str(), "ID  STATUS  SEV   TARGET  CHECK     SUBJECT  COUNT  FIRST SEEN  FLAGS" +
                           std::string(27, ' ') + "MESSAGE\n" +
                           " 7  open    crit  tikv    store_up  3           12  5m ago      "
                           "silenced,held,flapping,unknown  store 3 disk 95% used\n"
                           " 5  open    crit  tikv    store_up  4           12  5m ago      -" +
                           std::string(31, ' ') + "store 4 is Down\n");
  EXPECT_EQ(tickets::ticket_json(all)["flags"],
            nlohmann::ordered_json({"silenced", "held", "flapping", "unknown"}));
}

// Severity and status in colour on request; the columns do not move.
TEST(TicketsFormat, ColourBySeverityAndStatus) {
  auto critical = sample(2, "1", "down");
  auto warning = sample(1, "2", "slow");
  warning.severity = Severity::warning;
  warning.status = tickets::Status::resolved;
  std::ostringstream out;
  print_ticket_table(out, {critical, warning}, 0, kNow, true);
  EXPECT_EQ(out.str(),
            "ID  STATUS    SEV   TARGET  CHECK     SUBJECT  COUNT  FIRST SEEN  FLAGS  MESSAGE\n"
            " 2  \x1b[1mopen\x1b[0m      \x1b[31mcrit\x1b[0m  tikv    store_up  1           12  "
            "5m ago      -      down\n"
            " 1  \x1b[32mresolved\x1b[0m  \x1b[33mwarn\x1b[0m  tikv    store_up  2           12  "
            "5m ago      -      slow\n");
}

TEST(TicketsFormat, ShowPrintsTheUnknownStreak) {
  auto ticket = sample(4, "3", "store 3 disk 95% used");
  ticket.unknown = true;
  ticket.held = true;
  ticket.unknown_since = kNow - minutes(2);
  ticket.unknown_at = kNow;
  ticket.unknown_reason = "store 3 is Disconnected";
  std::ostringstream out;
  print_ticket_details(out, ticket, {});
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("ticket 4: open, unknown, held\n", 0), 0u) << text;
  EXPECT_NE(text.find("last seen       2026-11-23T13:00:00.000Z\n"
                      "unknown since   2026-11-23T12:58:00.000Z\n"
                      "last unknown    2026-11-23T13:00:00.000Z\n"
                      "unknown reason  store 3 is Disconnected\n"
                      "resolved        -\n"),
            std::string::npos)
      << text;
}

TEST(TicketsFormat, ShowLeavesTheUnknownFieldsOutWithoutAStreak) {
  std::ostringstream out;
  print_ticket_details(out, sample(4, "4", "store 4 is Down"), {});
  EXPECT_EQ(out.str().find("unknown"), std::string::npos) << out.str();
}

TEST(TicketsFormat, ShowPrintsEveryFieldSnapshotDiagnosisAndTimeline) {
  auto ticket = sample(4, "4", "store 4 is Down");
  ticket.status = tickets::Status::diagnosed;
  ticket.diagnosis = "disk failed\nreplaced on tikv-3";
  std::vector<tickets::TicketEvent> events{
      {1, 4, kNow - minutes(5), "monitor", "", "open", "store 4 is Down"},
      {2, 4, kNow, "alice", "open", "diagnosed", "diagnosis: disk failed"}};
  std::ostringstream out;
  print_ticket_details(out, ticket, events);
  EXPECT_EQ(out.str(), R"(ticket 4: diagnosed

violation key   tikv/store_up/4
target          tikv
check           store_up
subject         4
severity        critical
message         store 4 is Down
batch           tikv@2026-11-23T12:55:00.000Z
occurrences     12
first seen      2026-11-23T12:55:00.000Z
last seen       2026-11-23T13:00:00.000Z
resolved        -
created         2026-11-23T12:55:00.000Z
updated         2026-11-23T13:00:00.000Z

metric snapshot
  {
    "state_name": "Down",
    "store_id": 4
  }

diagnosis
  disk failed
  replaced on tikv-3

timeline
  AT                        ACTOR    CHANGE             NOTE
  2026-11-23T12:55:00.000Z  monitor  open               store 4 is Down
  2026-11-23T13:00:00.000Z  alice    open -> diagnosed  diagnosis: disk failed
)");
}

TEST(TicketsFormat, ShowSaysUntilWhenAnAcknowledgementEndsAndANoteIsNoStatusChange) {
  auto ticket = sample(4, "4", "store 4 is Down");
  ticket.status = tickets::Status::acknowledged;
  ticket.acknowledged_until = kNow + minutes(30);
  std::vector<tickets::TicketEvent> events{
      {1, 4, kNow, "alice", "acknowledged", "note", "paged the storage team"}};
  std::ostringstream out;
  print_ticket_details(out, ticket, events);
  EXPECT_NE(out.str().find("ack expires     2026-11-23T13:30:00.000Z\n"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("alice  note    paged the storage team"), std::string::npos)
      << out.str();
}

TEST(TicketsFormat, TheTimelineShowsReopensAsStatusChangesAndFlagsByName) {
  std::vector<tickets::TicketEvent> events{
      {1, 4, kNow, "monitor", "resolved", "open", "back"},
      {2, 4, kNow, "monitor", "open", "flapping", "reopened 3 times within 1h"},
      {3, 4, kNow, "alice", "open", "hold", "wait"},
      {4, 4, kNow, "alice", "open", "held", "from an older database"}};
  std::ostringstream out;
  print_ticket_details(out, sample(4, "4", "store 4 is Down"), events);
  const std::string text = out.str();
  for (const char* line : {"monitor  resolved -> open (reopened)  back\n",
                           "monitor  flapping                     reopened 3 times within 1h\n",
                           "alice    hold                         wait\n",
                           "alice    hold                         from an older database\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
  }
  EXPECT_EQ(text.find("-> held"), std::string::npos) << text;
  EXPECT_EQ(text.find("-> flapping"), std::string::npos) << text;
}

TEST(TicketsFormat, ShowListsEachNotificationWithItsStateAndLastError) {
  auto notification = [](const std::string& receiver, tickets::NotifyEvent event,
                         tickets::DeliveryState state, int attempts, const std::string& error) {
    tickets::Notification n;
    n.receiver = receiver;
    n.event = event;
    n.state = state;
    n.attempts = attempts;
    n.last_error = error;
    n.created_at = kNow - minutes(5);
    n.next_attempt_at = kNow + minutes(1);
    return n;
  };
  auto delivered =
      notification("pager", tickets::NotifyEvent::opened, tickets::DeliveryState::delivered, 1, "");
  delivered.delivered_at = kNow - minutes(5) + seconds(1);
  const std::vector<tickets::Notification> notifications = {
      delivered,
      notification("chat", tickets::NotifyEvent::opened, tickets::DeliveryState::pending, 3,
                   "answered HTTP 500"),
      notification("mail", tickets::NotifyEvent::resolved, tickets::DeliveryState::failed, 7,
                   "timed out")};
  std::ostringstream out;
  print_ticket_details(out, sample(4, "4", "store 4 is Down"), {}, notifications);
  const std::string text = out.str();
  EXPECT_TRUE(text.ends_with(
      "\nnotifications\n"
      "  RECEIVER  EVENT     STATE      TRIES  WHEN                           ERROR\n"
      "  pager     opened    delivered  1      2026-11-23T12:55:01.000Z       -\n"
      "  chat      opened    pending    3      next 2026-11-23T13:01:00.000Z  answered HTTP 500\n"
      "  mail      resolved  failed     7      -                              timed out\n"))
      << text;
}

TEST(TicketsFormat, ShowPrintsNoNotificationsSectionWithoutNotifications) {
  std::ostringstream out;
  print_ticket_details(out, sample(4, "4", "store 4 is Down"), {});
  EXPECT_EQ(out.str().find("notifications"), std::string::npos) << out.str();
}

// What PD, a pack or a person wrote is shown, never obeyed: single-line
// fields and table cells escape every control character (line breaks too);
// the diagnosis keeps its lines and tabs but not a carriage return; the
// snapshot is JSON with \u escapes.
TEST(TicketsFormat, ShowEscapesControlCharactersFromOutside) {
  const std::string hostile = "\x1b[2J\x1b[31mPWNED\x1b[0m\a";
  auto ticket = sample(4, "4\x1b]0;t\a", "Store 4 at " + hostile + " is Down");
  ticket.diagnosis =
      "line one\n\tindented\rOVERWRITE\x9b"
      "2J\xC2\x9b";
  ticket.metric_snapshot = "{\"address\":\"" + std::string("\\u001b[2J\\u009b") + "\"}";
  const std::vector<tickets::TicketEvent> events{
      {1, 4, kNow, "mallory\x1b[8m", "", "open", "note\nFAKE LINE"}};
  std::ostringstream out;
  print_ticket_details(out, ticket, events);
  const std::string text = out.str();
  for (const char c : text) {
    EXPECT_TRUE(c == '\n' || c == '\t' || (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f))
        << "raw control byte " << static_cast<int>(c) << " in\n"
        << text;
  }
  EXPECT_NE(text.find("subject         4\\x1b]0;t\\x07\n"), std::string::npos) << text;
  EXPECT_NE(text.find("message         Store 4 at \\x1b[2J\\x1b[31mPWNED\\x1b[0m\\x07 is Down\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("diagnosis\n  line one\n  \tindented\\rOVERWRITE\\x9b2J\\u009b\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"address\": \"\\u001b[2J\\u009b\""), std::string::npos) << text;
  EXPECT_NE(text.find("mallory\\x1b[8m  open    note\\nFAKE LINE\n"), std::string::npos) << text;
}

TEST(TicketsFormat, JsonFieldsInTheirDocumentedOrder) {
  const auto json = ticket_json(sample(4, "4", "store 4 is Down"));
  std::vector<std::string> keys;
  for (const auto& item : json.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id",
                                            "violation_key",
                                            "target",
                                            "check",
                                            "subject",
                                            "status",
                                            "held",
                                            "flapping",
                                            "severity",
                                            "message",
                                            "batch_key",
                                            "occurrence_count",
                                            "first_seen_at",
                                            "last_seen_at",
                                            "resolved_at",
                                            "diagnosis",
                                            "metric_snapshot",
                                            "created_at",
                                            "updated_at",
                                            "unknown",
                                            "unknown_since",
                                            "unknown_at",
                                            "unknown_reason",
                                            "acknowledged_until",
                                            "silenced_by",
                                            "blocked_by",
                                            "blocked_cause",
                                            "flags"}));
  EXPECT_TRUE(json["resolved_at"].is_null());
  EXPECT_TRUE(json["diagnosis"].is_null());
  EXPECT_EQ(json["unknown"], false);
  EXPECT_TRUE(json["unknown_since"].is_null());
  EXPECT_TRUE(json["unknown_at"].is_null());
  EXPECT_TRUE(json["unknown_reason"].is_null());
  EXPECT_EQ(json["metric_snapshot"]["store_id"], 4);
  EXPECT_EQ(json["first_seen_at"], "2026-11-23T12:55:00.000Z");
}

TEST(TicketsFormat, JsonCarriesTheUnknownStreak) {
  auto ticket = sample(4, "3", "store 3 disk 95% used");
  ticket.unknown = true;
  ticket.unknown_since = kNow - minutes(2);
  ticket.unknown_at = kNow;
  ticket.unknown_reason = "store 3 is Disconnected";
  const auto json = ticket_json(ticket);
  EXPECT_EQ(json["unknown"], true);
  EXPECT_EQ(json["unknown_since"], "2026-11-23T12:58:00.000Z");
  EXPECT_EQ(json["unknown_at"], "2026-11-23T13:00:00.000Z");
  EXPECT_EQ(json["unknown_reason"], "store 3 is Disconnected");
}

TEST(TicketsFormat, ASnapshotThatIsNotAnObjectIsStillAnObject) {
  auto ticket = sample(1, "1", "m");
  ticket.metric_snapshot = "not json";
  EXPECT_EQ(ticket_json(ticket)["metric_snapshot"]["value"], "not json");
}

}  // namespace
}  // namespace opr::cli
