// The diagnosis hook with real programs and a real ticket database: its
// stdout becomes the diagnosis, a hook that fails or hangs leaves an event
// on the ticket and is not run again.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/client.h"
#include "notify/router.h"
#include "notify/sender.h"
#include "one_ticket.h"
#include "test_support.h"
#include "tickets/ticket_store.h"

namespace opr::notify {
namespace {

using namespace std::chrono_literals;
using opr::test::TempDir;

config::ReceiverConfig hook(std::vector<std::string> argv,
                            std::chrono::milliseconds timeout = 10s) {
  return test::program(config::ReceiverType::diagnose, "triage", std::move(argv), timeout);
}

class DiagnoseHookTest : public ::testing::Test {
 protected:
  // A store whose router gives every opened ticket to `receivers`, and a
  // ticket opened now.
  void open_ticket(const std::vector<config::ReceiverConfig>& receivers) {
    auto opened = test::open_one_ticket(dir_ / "tickets.db", receivers, R"({"state_name":"Down"})");
    store_ = std::move(opened.store);
    ticket_id_ = opened.ticket_id;
    hooks_ = std::make_unique<Sender>(*store_, std::make_shared<http::Client>(), 50ms,
                                      Sender::Lane::hooks);
    hooks_->configure(receivers);
  }
  tickets::TicketEvent last_event() { return store_->events(ticket_id_).back(); }

  TempDir dir_;
  std::unique_ptr<tickets::TicketStore> store_;
  std::unique_ptr<Sender> hooks_;  // uses store_: declared after it
  int64_t ticket_id_ = 0;
};

TEST_F(DiagnoseHookTest, ItsOutputIsTheDiagnosisWithTheHooksActor) {
  const auto input = dir_ / "input.json";
  open_ticket(
      {hook({"sh", "-c", "cat > \"$0\"; echo 'PD says store 2 lost its disk'; echo noise >&2",
             input.string()})});
  EXPECT_EQ(hooks_->send_due(now_ms()).delivered, 1u);
  const auto ticket = store_->get(ticket_id_);
  EXPECT_EQ(ticket->status, tickets::Status::diagnosed);
  EXPECT_EQ(ticket->diagnosis, "PD says store 2 lost its disk") << "stderr is not the diagnosis";
  EXPECT_EQ(last_event().actor, "hook:triage");
  EXPECT_EQ(last_event().to_status, "diagnosed");
  EXPECT_EQ(store_->notifications(ticket_id_).at(0).receiver, "hook:triage");

  // It was given the ticket with its snapshot and its events.
  const auto given = nlohmann::json::parse(opr::test::read_file(input));
  EXPECT_EQ(given["event"]["kind"], "opened");
  EXPECT_EQ(given["ticket"]["id"], ticket_id_);
  EXPECT_EQ(given["ticket"]["metric_snapshot"]["state_name"], "Down");
  ASSERT_FALSE(given["events"].empty());
  EXPECT_EQ(given["events"][0]["to"], "open");
}

TEST_F(DiagnoseHookTest, AHookThatHangsIsKilledAtItsTimeoutAndRecordedOnTheTicket) {
  open_ticket({hook({"sleep", "30"}, 300ms)});
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(hooks_->send_due(now_ms()).failed, 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  EXPECT_EQ(store_->get(ticket_id_)->status, tickets::Status::open);
  EXPECT_EQ(last_event().actor, "hook:triage");
  EXPECT_EQ(last_event().to_status, "diagnosis failed");
  EXPECT_NE(last_event().note.find("sleep timed out"), std::string::npos) << last_event().note;
  EXPECT_EQ(store_->notifications(ticket_id_).at(0).state, tickets::DeliveryState::failed);
  EXPECT_EQ(hooks_->send_due(now_ms() + 1h).failed, 0u) << "not run again";
}

TEST_F(DiagnoseHookTest, AFailingHookSaysWhyOnTheTicket) {
  open_ticket({hook({"sh", "-c", "echo 'kubectl: not found' >&2; exit 127"})});
  hooks_->send_due(now_ms());
  EXPECT_EQ(last_event().note, "sh exited with status 127: kubectl: not found");
}

TEST_F(DiagnoseHookTest, AHookThatPrintsNothingSaysSoOnTheTicket) {
  open_ticket({hook({"true"})});
  hooks_->send_due(now_ms());
  EXPECT_EQ(last_event().note, "true printed no diagnosis");
}

TEST_F(DiagnoseHookTest, OutputPastTheCapIsCut) {
  auto capped = hook({"sh", "-c", "head -c 5000 /dev/zero | tr '\\0' x"});
  capped.max_output = 1024;
  open_ticket({capped});
  hooks_->send_due(now_ms());
  EXPECT_EQ(store_->get(ticket_id_)->diagnosis, std::string(1024, 'x'));
}

TEST_F(DiagnoseHookTest, ItsLaneIsItsOwnAndOnlyOpeningsReachIt) {
  const auto chat = test::program(config::ReceiverType::command, "chat", {"true"}, 10s);
  open_ticket({hook({"sh", "-c", "echo found it"}), chat});
  Sender receivers(*store_, std::make_shared<http::Client>(), 50ms);
  receivers.configure({hook({"true"}), chat});
  EXPECT_EQ(receivers.send_due(now_ms()).delivered, 1u) << "chat's, not the hook's";
  EXPECT_EQ(hooks_->send_due(now_ms()).delivered, 1u);
  // The diagnosis notifies chat, and only chat.
  const auto rows = store_->notifications(ticket_id_);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].receiver, "chat");
  EXPECT_EQ(rows[2].event, tickets::NotifyEvent::diagnosed);
}

TEST_F(DiagnoseHookTest, OutputCutInsideACharacterKeepsTheWholeOnes) {
  // 1023 x then "é" (2 bytes): the cap of 1024 falls inside the "é".
  auto capped = hook({"sh", "-c", "head -c 1023 /dev/zero | tr '\\0' x; printf '\\303\\251'"});
  capped.max_output = 1024;
  open_ticket({capped});
  hooks_->send_due(now_ms());
  EXPECT_EQ(store_->get(ticket_id_)->diagnosis, std::string(1023, 'x'));
}

TEST_F(DiagnoseHookTest, BinaryOutputOrAMissingProgramIsRecordedNotKept) {
  open_ticket({hook({"printf", "core\\000dump"})});
  hooks_->send_due(now_ms());
  EXPECT_EQ(store_->get(ticket_id_)->status, tickets::Status::open);
  EXPECT_EQ(last_event().note.rfind("printf printed a diagnosis that has a NUL byte", 0), 0u)
      << last_event().note;
}

TEST_F(DiagnoseHookTest, AProgramThatCannotStartSaysWhy) {
  open_ticket({hook({"/nonexistent/triage"})});
  hooks_->send_due(now_ms());
  EXPECT_EQ(last_event().note, "cannot run /nonexistent/triage: No such file or directory");
}

}  // namespace
}  // namespace opr::notify
