// Silences and the diagnosis hook through the real monitor and the real
// command line: a silenced ticket is recorded but reaches nobody; a hook's
// diagnosis lands on the ticket and reaches the receivers like a person's.
#include <gtest/gtest.h>

#include <mutex>

#include "host_harness.h"
#include "loopback_server.h"
#include "tickets/ticket_store.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

class SilenceAndHook : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      bodies_.push_back(Json::parse(req.body));
      res.status = 200;
    });
    server_.start();
    write_file(harness_.file("cmd"), "violate s1 critical disk full\n");
  }
  void write_config(const std::string& extra = "") {
    harness_.write_config(
        "notify:\n"
        "  - name: pager\n"
        "    type: webhook\n"
        "    url: '" +
        server_.url("/hook") + "'\n" + extra +
        "targets:\n"
        "  - name: a\n"
        "    pack: control\n"
        "    checks:\n"
        "      probe: {interval: 100ms, command_file: " +
        harness_.file("cmd").string() + "}\n");
  }
  std::vector<std::string> kinds() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> seen;
    for (const auto& body : bodies_) seen.push_back(body["event"]["kind"].get<std::string>());
    return seen;
  }
  // "event:state" of the ticket's notifications, oldest first.
  std::vector<std::string> rows(int64_t ticket_id) {
    std::vector<std::string> seen;
    for (const auto& n :
         tickets::TicketStore::open(harness_.db_path().string())->notifications(ticket_id)) {
      seen.push_back(n.receiver + ":" + std::string(to_string(n.event)) + ":" +
                     std::string(to_string(n.state)));
    }
    return seen;
  }

  HostHarness harness_;
  std::mutex mutex_;
  std::vector<Json> bodies_;
  LoopbackServer server_;  // its handler uses the members above
};

TEST_F(SilenceAndHook, ASilencedTicketIsRecordedAndResolvedButReachesNobody) {
  write_config();
  const auto silenced = harness_.run({"tickets", "silence", "--target", "a", "--check", "probe",
                                      "--for", "2h", "--comment", "replacing the disk of s1"});
  ASSERT_EQ(silenced.exit_code, 0) << silenced.err;
  EXPECT_EQ(silenced.out.rfind("silence 1 holds back the notifications of a check probe until ", 0),
            0u)
      << silenced.out;
  const auto listed_silences = harness_.run({"tickets", "silences", "--json"});
  ASSERT_EQ(listed_silences.exit_code, 0) << listed_silences.err;
  const Json silences = Json::parse(listed_silences.out);
  ASSERT_EQ(silences.size(), 1u);
  EXPECT_EQ(silences[0]["target"], "a");
  EXPECT_EQ(silences[0]["check"], "probe");
  EXPECT_EQ(silences[0]["subject"], nullptr);
  EXPECT_EQ(silences[0]["comment"], "replacing the disk of s1");
  EXPECT_FALSE(silences[0]["author"].get<std::string>().empty());

  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return harness_.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  const int64_t id = harness_.open_ticket("a/probe/s1")->id;
  EXPECT_EQ(rows(id), (std::vector<std::string>{"pager:opened:silenced"}));
  const auto list = harness_.run({"tickets", "list", "--json"});
  EXPECT_EQ(Json::parse(list.out).at(0)["silenced_by"], 1) << list.out;
  const auto shown = harness_.run({"tickets", "show", std::to_string(id)});
  EXPECT_NE(shown.out.find("silenced (silence 1)"), std::string::npos) << shown.out;

  write_file(harness_.file("cmd"), "ok\n");
  ASSERT_TRUE(wait_until([&] { return !harness_.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  EXPECT_EQ(rows(id),
            (std::vector<std::string>{"pager:opened:silenced", "pager:resolved:silenced"}));

  const auto ended = harness_.run({"tickets", "unsilence", "1"});
  EXPECT_EQ(ended.exit_code, 0) << ended.err;
  EXPECT_EQ(ended.out, "silence 1 has ended\n");
  EXPECT_EQ(harness_.run({"tickets", "silences"}).out, "no silences in force\n");
  const auto all = harness_.run({"tickets", "silences", "--all"});
  EXPECT_NE(all.out.find("ended"), std::string::npos) << all.out;

  // The next opening, unsilenced, reaches the pager.
  write_file(harness_.file("cmd"), "violate s1 critical disk full again\n");
  ASSERT_TRUE(wait_until([&] { return kinds().size() == 1; }, 30s)) << host->err();
  EXPECT_EQ(kinds(), (std::vector<std::string>{"opened"}));
}

TEST_F(SilenceAndHook, TheHooksDiagnosisLandsOnTheTicketAndReachesTheReceivers) {
  write_config(
      "diagnose:\n"
      "  - name: triage\n"
      "    command: [sh, -c, 'echo \"disk of s1 is full: clean /var/log\"']\n"
      "    timeout: 20s\n");
  auto host = harness_.start();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto ticket = harness_.open_ticket("a/probe/s1");
        return ticket && ticket->status == tickets::Status::diagnosed;
      },
      30s))
      << host->err();
  const auto ticket = harness_.open_ticket("a/probe/s1");
  EXPECT_EQ(ticket->diagnosis, "disk of s1 is full: clean /var/log");
  const auto shown = harness_.run({"tickets", "show", std::to_string(ticket->id), "--json"});
  const Json json = Json::parse(shown.out);
  EXPECT_EQ(json["events"].back()["actor"], "hook:triage");
  ASSERT_TRUE(wait_until([&] { return kinds().size() == 2; }, 30s)) << host->err();
  EXPECT_EQ(kinds(), (std::vector<std::string>{"opened", "diagnosed"}));
}

TEST_F(SilenceAndHook, BadSilencesAreRefusedWithTheReason) {
  write_config();
  const auto missing = harness_.run({"tickets", "silence", "--target", "a", "--for", "1h"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("say why with --comment TEXT"), std::string::npos) << missing.err;
  const auto both = harness_.run({"tickets", "silence", "--target", "a", "--for", "1h", "--until",
                                  "2030-01-01T00:00:00Z", "--comment", "x"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("give exactly one of --for DURATION or --until TIME"), std::string::npos)
      << both.err;
  const auto past = harness_.run(
      {"tickets", "silence", "--target", "a", "--until", "2001-01-01T00:00:00Z", "--comment", "x"});
  EXPECT_EQ(past.exit_code, 1);
  EXPECT_NE(past.err.find("that silence would already be over"), std::string::npos) << past.err;
  const auto none = harness_.run({"tickets", "unsilence", "7"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("no silence 7"), std::string::npos) << none.err;
}

}  // namespace
}  // namespace opr::test
