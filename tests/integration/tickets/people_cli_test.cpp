// The ticket record stays open to people: notes on any ticket, a new
// diagnosis over an old one, acknowledgements that end, and the person
// (not root) recorded as the actor. Through operator-host and a real
// SQLite file seeded by another process.
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "common/time_format.h"
#include "test_support.h"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using opr::test::CommandResult;
using opr::test::ProcessOptions;

class PeopleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto seeded = opr::test::run_command(
        {OPR_TICKETS_WRITER, db(), "seed", "tikv", "store_up", "1=store 1 is Down"});
    ASSERT_EQ(seeded.exit_code, 0) << seeded.err;
  }
  std::string db() const { return (dir_ / "tickets.db").string(); }

  // `operator-host --db DB tickets ARGS...`, as `user` would run it.
  CommandResult run(const std::vector<std::string>& args, ProcessOptions options = {}) const {
    std::vector<std::string> all{"--db", db(), "tickets"};
    all.insert(all.end(), args.begin(), args.end());
    options.unset_env.push_back("OPERATOR_DB");
    return opr::test::run_operator_host(all, options);
  }
  void ok(const std::vector<std::string>& args, ProcessOptions options = {}) const {
    const CommandResult result = run(args, std::move(options));
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  json show() const {
    const CommandResult result = run({"show", "1", "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return json::parse(result.out);
  }
  // The ticket's events whose change is `to`: the status a status change
  // went to, else the event's name ("note", "diagnosis_replaced").
  std::vector<json> events_to(const std::string& to) const {
    std::vector<json> found;
    const json ticket = show();
    for (const auto& event : ticket["events"]) {
      if (event.value("to", event.value("event", "")) == to) found.push_back(event);
    }
    return found;
  }

  opr::test::TempDir dir_;
};

TEST_F(PeopleCli, AResolvedTicketTakesNotesShownInShowAndJson) {
  ok({"resolve", "1"});
  ok({"note", "1", "--text", "post-mortem: the disk filled up", "--actor", "alice"});
  opr::test::write_file(dir_ / "pm.md", "# Follow-up\nadd a disk alert\n");
  ok({"note", "1", "--file", (dir_ / "pm.md").string()});

  const auto notes = events_to("note");
  ASSERT_EQ(notes.size(), 2u) << show().dump(2);
  EXPECT_EQ(notes[0]["note"], "post-mortem: the disk filled up");
  EXPECT_EQ(notes[0]["actor"], "alice");
  EXPECT_EQ(notes[1]["note"], "# Follow-up\nadd a disk alert");
  EXPECT_EQ(show()["status"], "resolved");

  const CommandResult text = run({"show", "1"});
  EXPECT_NE(text.out.find("post-mortem: the disk filled up"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("alice"), std::string::npos) << text.out;

  EXPECT_EQ(run({"note", "1"}).exit_code, 2);
  EXPECT_EQ(run({"note", "1", "--text", " "}).exit_code, 1);
  EXPECT_EQ(run({"note", "9", "--text", "x"}).exit_code, 1);
}

TEST_F(PeopleCli, ADiagnosedTicketIsDiagnosedAgainAndTheTimelineKeepsTheOld) {
  ok({"diagnose", "1", "--text", "first guess: the network\nsecond line"});
  ok({"diagnose", "1", "--text", "the disk controller"});
  const json ticket = show();
  EXPECT_EQ(ticket["status"], "diagnosed");
  EXPECT_EQ(ticket["diagnosis"], "the disk controller");
  const auto replaced = events_to("diagnosis_replaced");
  ASSERT_EQ(replaced.size(), 1u) << ticket.dump(2);
  EXPECT_EQ(replaced[0]["note"], "first guess: the network\nsecond line");
  EXPECT_EQ(events_to("diagnosed").size(), 2u);
}

TEST_F(PeopleCli, AnAcknowledgementWithAnEndReopensAtTheNextWriteAfterIt) {
  EXPECT_EQ(run({"ack", "1", "--expire", "soon"}).exit_code, 2);
  EXPECT_EQ(run({"resolve", "1", "--expire", "4h"}).exit_code, 2);
  ok({"ack", "1", "--expire", "300ms", "--note", "looking"});
  json ticket = show();
  EXPECT_EQ(ticket["status"], "acknowledged");
  ASSERT_TRUE(ticket["acknowledged_until"].is_string()) << ticket.dump(2);
  const auto until = opr::parse_utc(ticket["acknowledged_until"].get<std::string>());
  ASSERT_TRUE(until.has_value());
  // No monitor runs here: the next write to the ticket finds the end.
  ASSERT_TRUE(opr::test::wait_until([&] { return opr::now_ms() > *until; }, 30s));
  ok({"note", "1", "--text", "still looking"});
  ticket = show();
  EXPECT_EQ(ticket["status"], "open");
  EXPECT_TRUE(ticket["acknowledged_until"].is_null());
  const auto opened = events_to("open");  // when the monitor opened it, and now
  ASSERT_EQ(opened.size(), 2u) << ticket.dump(2);
  EXPECT_EQ(opened[1]["from"], "acknowledged");
  EXPECT_EQ(opened[1]["actor"], "monitor");
  EXPECT_NE(opened[1]["note"].get<std::string>().find("acknowledgement expired"),
            std::string::npos);
  // Open again, it can be acknowledged again.
  ok({"ack", "1"});
  EXPECT_EQ(show()["status"], "acknowledged");
}

TEST_F(PeopleCli, ActorIsGivenExplicitlyOnEveryWrite) {
  ok({"ack", "1", "--actor", "carol"});
  ok({"hold", "1", "--actor", "carol"});
  ok({"diagnose", "1", "--text", "x", "--actor", "carol"});
  // After the monitor's opening event: an ack, a hold (a flag event, with
  // no "from"), a diagnosis, each by carol.
  const json events = show()["events"];
  ASSERT_EQ(events.size(), 4u) << events.dump(2);
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].value("actor", ""), "carol") << events[i].dump();
  }
  EXPECT_EQ(run({"ack", "1", "--actor", ""}).exit_code, 2);
  const CommandResult silence = run({"silence", "--target", "tikv", "--for", "1h", "--comment",
                                     "maintenance", "--json", "--actor", "carol"});
  ASSERT_EQ(silence.exit_code, 0) << silence.err;
  EXPECT_EQ(json::parse(silence.out)["author"], "carol");
  ok({"unsilence", "1", "--actor", "dave"});
  const CommandResult silences = run({"silences", "--all", "--json"});
  EXPECT_EQ(json::parse(silences.out)[0]["expired_by"], "dave") << silences.out;
}

TEST_F(PeopleCli, UnderSudoTheActorIsThePersonNotRoot) {
  if (::getuid() != 0) GTEST_SKIP() << "sudo is simulated by SUDO_USER, which only root trusts";
  ProcessOptions sudo;
  sudo.env["SUDO_USER"] = "erin";
  ok({"ack", "1"}, sudo);
  ProcessOptions sudo_as_root;  // `sudo -s` by root itself: root it is
  sudo_as_root.env["SUDO_USER"] = "root";
  ok({"hold", "1"}, sudo_as_root);
  ok({"unhold", "1", "--actor", "frank"}, sudo);  // --actor wins
  const auto events = show()["events"];
  ASSERT_EQ(events.size(), 4u) << events.dump(2);
  EXPECT_EQ(events[1]["actor"], "erin");
  EXPECT_EQ(events[2]["actor"], "root");
  EXPECT_EQ(events[3]["actor"], "frank");
}

}  // namespace
