// The rules of docs/architecture.md that a user sees on tickets, end to
// end through the real monitor: batch keys per target and cycle, flapping
// from the config to `tickets list`, holds ended by unhold, and runs that
// could not look (timed out, threw) resolving nothing.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

const std::regex kBatchKey(R"([a-z]+@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

// ---- batch keys ------------------------------------------------------------

// http_ok and file_fresh of one target, every 6 s: their first runs are
// spread 3 s apart over the first 6 s cycle.
TEST(BatchKeys, TwoChecksOfOneTargetInOneCycleShareItsKey) {
  HostHarness harness;
  const std::string url = "http://127.0.0.1:" + std::to_string(free_port()) + "/";  // refused
  const std::string stamp = harness.file("stamp").string();                         // missing
  harness.write_config(
      "targets:\n  - name: web\n    pack: example\n    checks:\n"
      "      http_ok: {interval: 6s, grace: 0s, url: \"" +
      url + "\"}\n      file_fresh: {interval: 6s, path: " + stamp + "}\n");
  auto host = harness.start();
  ASSERT_TRUE(wait_until(
      [&] {
        return harness.open_ticket("web/http_ok/" + url) &&
               harness.open_ticket("web/file_fresh/" + stamp);
      },
      30s))
      << host->err();
  const auto http = *harness.open_ticket("web/http_ok/" + url);
  const auto file = *harness.open_ticket("web/file_fresh/" + stamp);
  // Born in one cycle, though not at once: file_fresh ran about 3 s later.
  EXPECT_GE(file.created_at - http.created_at, 1s);
  EXPECT_EQ(file.batch_key, http.batch_key);
  EXPECT_TRUE(std::regex_match(http.batch_key, kBatchKey)) << http.batch_key;
  EXPECT_EQ(http.batch_key.rfind("web@", 0), 0u) << http.batch_key;
  stop_host(*host);
}

TEST(BatchKeys, AViolationFirstSeenInALaterCycleGetsAnotherKey) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  // A 1 s cycle: the test adds s2 well before the next run.
  harness.write_config("targets:\n" + control_target(harness, "a", ", interval: 1s"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  write_file(harness.file("a.cmd"), "violate s1 warning\nviolate s2 warning\n");
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s2").has_value(); }, 30s))
      << host->err();
  const auto first = *harness.open_ticket("a/probe/s1");
  const auto later = *harness.open_ticket("a/probe/s2");
  EXPECT_TRUE(std::regex_match(first.batch_key, kBatchKey)) << first.batch_key;
  EXPECT_TRUE(std::regex_match(later.batch_key, kBatchKey)) << later.batch_key;
  EXPECT_NE(first.batch_key, later.batch_key);
  stop_host(*host);
}

// ---- flapping --------------------------------------------------------------

class Flapping : public ::testing::Test {
 protected:
  // One --once run of target a, whose probe reports s1 or nothing.
  void run_once(bool violated) {
    write_file(harness_.file("a.cmd"), violated ? "violate s1 warning disk full\n" : "ok\n");
    const CommandResult result = harness_.run_once();
    ASSERT_EQ(result.exit_code, violated ? 1 : 0) << result.out << result.err;
  }

  // s1 violated, then healthy, `times` over.
  void toggle(const std::string& flapping_config, int times) {
    harness_.write_config(flapping_config + "targets:\n" + control_target(harness_, "a"));
    for (int i = 0; i < times; ++i) {
      run_once(true);
      run_once(false);
    }
  }

  CommandResult cli(const std::vector<std::string>& args) {
    ProcessOptions options;
    options.env["COLUMNS"] = "200";
    return harness_.run(args, options);
  }

  HostHarness harness_;
};

// The window is short so that the flag's end can be waited for; the four
// toggles take well under it.
TEST_F(Flapping, FourTogglesAreOneTicketOfFourOccurrencesFlaggedUntilAQuietWindow) {
  toggle("flapping: {threshold: 3, window: 10s}\n", 4);
  const auto tickets = harness_.cli_tickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["status"], "resolved");
  EXPECT_EQ(tickets[0]["occurrence_count"], 4);
  EXPECT_EQ(tickets[0]["flapping"], true);
  const std::string id = std::to_string(tickets[0]["id"].get<int64_t>());

  const CommandResult list = cli({"tickets", "list", "--all"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::istringstream lines(list.out);
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  const std::size_t flags = header.find("FLAGS");
  ASSERT_NE(flags, std::string::npos) << list.out;
  EXPECT_EQ(row.substr(flags, 9), "flapping ") << list.out;

  // The timeline: reopens are changes of status, flapping a flag.
  std::vector<std::string> names;
  Json flapping;
  const Json timeline = Json::parse(cli({"tickets", "show", id, "--json"}).out)["events"];
  for (const auto& event : timeline) {
    names.push_back(event["event"]);
    if (event["event"] == "flapping") flapping = event;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"opened", "resolved", "reopened", "resolved", "reopened",
                                      "resolved", "reopened", "flapping", "resolved"}));
  EXPECT_EQ(flapping["status"], "open");
  EXPECT_FALSE(flapping.contains("to"));
  EXPECT_EQ(flapping["note"], "reopened 3 times within 10s");
  const CommandResult shown = cli({"tickets", "show", id});
  EXPECT_NE(shown.out.find("resolved -> open (reopened)"), std::string::npos) << shown.out;
  EXPECT_EQ(shown.out.find("-> flapping"), std::string::npos) << shown.out;

  // Quiet for the window: each --once looks for flapping that ended.
  ASSERT_TRUE(wait_until(
      [&] {
        run_once(false);
        return !harness_.tickets_with_key("a/probe/s1").front().flapping;
      },
      60s));
  const Json events = Json::parse(cli({"tickets", "show", id, "--json"}).out)["events"];
  EXPECT_EQ(events.back()["event"], "flapping_cleared");
  EXPECT_EQ(events.back()["status"], "resolved");
  EXPECT_EQ(harness_.tickets_with_key("a/probe/s1").size(), 1u);
}

TEST_F(Flapping, NotFlaggedBelowTheThreshold) {
  toggle("", 3);  // two reopens; the default threshold is 3
  const auto tickets = harness_.cli_tickets();
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["occurrence_count"], 3);
  EXPECT_EQ(tickets[0]["flapping"], false);
  const CommandResult list = cli({"tickets", "list", "--all"});
  EXPECT_EQ(list.out.find("flapping"), std::string::npos) << list.out;  // the FLAGS column
}

TEST_F(Flapping, AViolationBackLaterThanTheWindowOpensANewTicket) {
  toggle("flapping: {threshold: 2, window: 1ms}\n", 2);
  const auto tickets = harness_.tickets_with_key("a/probe/s1");
  ASSERT_EQ(tickets.size(), 2u);
  for (const auto& ticket : tickets) EXPECT_FALSE(ticket.flapping);
}

// ---- holds -----------------------------------------------------------------

TEST(Holds, UnholdLetsTheRunningMonitorResolveATicketWhoseViolationCleared) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  const std::string id = std::to_string(harness.open_ticket("a/probe/s1")->id);
  const CommandResult hold = harness.run({"tickets", "hold", id});
  ASSERT_EQ(hold.exit_code, 0) << hold.err;

  // Cleared: passing runs keep the held ticket open.
  write_file(harness.file("a.cmd"), "ok\n");
  const int passing = count_occurrences(host->err(), "0 violations, 0 failures");
  ASSERT_TRUE(wait_until(
      [&] { return count_occurrences(host->err(), "0 violations, 0 failures") >= passing + 3; },
      30s))
      << host->err();
  ASSERT_TRUE(harness.open_ticket("a/probe/s1").has_value());

  // Unheld: the next passing run resolves it, as any cleared violation.
  const CommandResult unhold = harness.run({"tickets", "unhold", id});
  ASSERT_EQ(unhold.exit_code, 0) << unhold.err;
  ASSERT_TRUE(wait_until([&] { return !harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  const CommandResult shown = harness.run({"tickets", "show", id, "--json"});
  const Json events = Json::parse(shown.out)["events"];
  EXPECT_EQ(events.back()["actor"], "monitor");
  EXPECT_EQ(events.back()["to"], "resolved");
  // The hold and unhold are flags in the timeline, not changes of status.
  EXPECT_EQ(events[1]["event"], "hold");
  EXPECT_EQ(events[1]["status"], "open");
  EXPECT_EQ(events[2]["event"], "unhold");
  EXPECT_FALSE(events[2].contains("to"));
  EXPECT_EQ(events.back()["note"], "auto-resolved: no longer reported");
  stop_host(*host);
}

// ---- runs that could not look ----------------------------------------------

// Each command fails the probe again and again while the violation's
// ticket stays exactly as it was; `ok` then shows it could have resolved.
TEST(CouldNotLook, TimedOutAndThrowingRunsResolveNothing) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  harness.write_config("defaults: {failure_threshold: 1000}\ntargets:\n" +
                       control_target(harness, "a", ", interval: 100ms, timeout: 300ms"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();

  // `hang` returns at the cancellation its timeout brings, reporting
  // nothing: read as a passing run, it would resolve the ticket.
  for (const std::string command : {"hang 60000", "throw"}) {
    const std::string failed =
        std::string("in a row): ") +
        (command == "throw" ? "control: told to throw" : "timed out after 300ms");
    const auto failures = [&] { return count_occurrences(host->err(), failed); };
    const int before = failures();
    write_file(harness.file("a.cmd"), command + "\n");
    ASSERT_TRUE(wait_until([&] { return failures() >= before + 1; }, 30s)) << command << "\n"
                                                                           << host->err();
    const auto at_first = harness.open_ticket("a/probe/s1");
    ASSERT_TRUE(wait_until([&] { return failures() >= before + 3; }, 30s)) << command << "\n"
                                                                           << host->err();
    const auto after = harness.open_ticket("a/probe/s1");
    ASSERT_TRUE(at_first && after) << command << " resolved the ticket";
    EXPECT_EQ(after->status, tickets::Status::open) << command;
    EXPECT_EQ(after->occurrence_count, at_first->occurrence_count) << command;
    EXPECT_EQ(after->last_seen_at, at_first->last_seen_at) << command;
  }

  write_file(harness.file("a.cmd"), "ok\n");
  EXPECT_TRUE(wait_until([&] { return !harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  stop_host(*host);
}

}  // namespace
}  // namespace opr::test
