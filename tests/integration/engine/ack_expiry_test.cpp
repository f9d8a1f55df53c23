// `tickets ack --expire`: the running monitor reopens the ticket when the
// acknowledgement ends, with nobody at the command line.
#include <gtest/gtest.h>

#include <string>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

TEST(AckExpiry, TheMonitorReopensATicketWhenItsAcknowledgementEnds) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 60s))
      << host->err();
  const std::string id = std::to_string(harness.open_ticket("a/probe/s1")->id);

  const CommandResult ack = harness.run({"tickets", "ack", id, "--expire", "1s"});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_EQ(harness.open_ticket("a/probe/s1")->status, tickets::Status::acknowledged);
  EXPECT_TRUE(wait_until(
      [&] {
        const auto ticket = harness.open_ticket("a/probe/s1");
        return ticket && ticket->status == tickets::Status::open;
      },
      60s))
      << host->err();

  const CommandResult show = harness.run({"tickets", "show", id, "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const Json events = Json::parse(show.out)["events"];
  const Json& last = events.back();
  EXPECT_EQ(last["actor"], "monitor") << events.dump(2);
  EXPECT_EQ(last["from"], "acknowledged");
  EXPECT_EQ(last["to"], "open");
  EXPECT_TRUE(contains(last["note"].get<std::string>(), "acknowledgement expired"));
  // The log names the ticket.
  EXPECT_TRUE(
      host->wait_for_output("the acknowledgement of ticket " + id + " expired: open again", 30s))
      << host->err();
  stop_host(*host);
}

}  // namespace
}  // namespace opr::test
