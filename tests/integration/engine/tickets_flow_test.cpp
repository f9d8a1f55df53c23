// The example pack's file_fresh on a file the test controls: a violation
// becomes one ticket, which counts repeats, resolves itself when the file is
// back, stays open while held, and respects grace across a restart.
#include <gtest/gtest.h>
#include <signal.h>

#include "host_harness.h"
#include "tickets/ticket_store.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

class TicketsFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    stamp_ = harness_.file("stamp");
    key_ = "files/file_fresh/" + stamp_.string();
  }

  void configure(const std::string& check_extra = "") {
    harness_.write_config(
        "targets:\n"
        "  - name: files\n"
        "    pack: example\n"
        "    checks:\n"
        // Disabled; the config still wants its required url.
        "      http_ok: {enabled: false, url: \"http://127.0.0.1:1/\"}\n"
        "      file_fresh: {interval: 150ms, path: " +
        stamp_.string() + ", max_age: 1h" + check_extra + "}\n");
  }

  std::optional<tickets::Ticket> only_ticket() {
    auto found = harness_.tickets_with_key(key_);
    if (found.size() != 1) return std::nullopt;
    return found.front();
  }

  static void stop(Process& host) {
    host.signal(SIGTERM);
    EXPECT_EQ(host.wait(20s), 0) << host.err();
  }

  HostHarness harness_;
  std::filesystem::path stamp_;
  std::string key_;
};

TEST_F(TicketsFlow, AViolationOpensOneTicketThatCountsRepeatsAndResolvesWhenCleared) {
  configure();
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return only_ticket().has_value(); }, 10s)) << host->err();
  EXPECT_EQ(only_ticket()->status, tickets::Status::open);
  EXPECT_NE(only_ticket()->message.find("does not exist"), std::string::npos);

  // Still violated: the same ticket, seen again.
  ASSERT_TRUE(wait_until(
      [&] {
        auto t = only_ticket();
        return t && t->occurrence_count >= 3;
      },
      10s))
      << host->err();
  EXPECT_EQ(harness_.tickets_with_key(key_).size(), 1u);

  // Cleared: the next successful run resolves it.
  write_file(stamp_, "fresh\n");
  ASSERT_TRUE(wait_until(
      [&] {
        auto t = only_ticket();
        return t && t->status == tickets::Status::resolved;
      },
      10s))
      << host->err();
  EXPECT_TRUE(host->wait_for_output("0 violations, 0 failures", 10s)) << host->err();
  stop(*host);
}

TEST_F(TicketsFlow, AHeldTicketStaysOpenAfterTheViolationClears) {
  configure();
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return only_ticket().has_value(); }, 10s)) << host->err();
  {
    auto store = tickets::TicketStore::open(harness_.db_path().string());
    store->hold(only_ticket()->id, "tester", "looking into it");
  }
  write_file(stamp_, "fresh\n");
  // Several passing cycles after the file came back...
  const int passing_before = count_occurrences(host->err(), "0 violations, 0 failures");
  ASSERT_TRUE(wait_until(
      [&] {
        return count_occurrences(host->err(), "0 violations, 0 failures") >= passing_before + 3;
      },
      10s))
      << host->err();
  // ...and the held ticket is still open.
  auto ticket = only_ticket();
  ASSERT_TRUE(ticket);
  EXPECT_NE(ticket->status, tickets::Status::resolved);
  EXPECT_TRUE(ticket->held);
  stop(*host);
}

// Grace is checked from the database's own times, not from how long the
// test took: the ticket keeps the first sight from before the restart and
// opens a whole grace after it.
TEST_F(TicketsFlow, GraceDelaysTheTicketAndSurvivesARestart) {
  // First a grace no machine can outlast: seen again and again, no ticket.
  configure(", grace: 1h");
  auto host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return count_occurrences(host->err(), "1 violations") >= 5; }, 30s))
      << host->err();
  stop(*host);
  EXPECT_TRUE(harness_.tickets_with_key(key_).empty());

  // Restarted with a grace of 3 s, the ticket opens 3 s after the violation
  // was first seen before the restart, not 3 s after the restart.
  configure(", grace: 3s");
  const auto restart = now_ms();
  host = harness_.start();
  ASSERT_TRUE(wait_until([&] { return only_ticket().has_value(); }, 30s)) << host->err();
  const auto ticket = *only_ticket();
  EXPECT_LT(ticket.first_seen_at, restart) << "the grace clock restarted";
  EXPECT_GE(ticket.created_at - ticket.first_seen_at, 3s);
  stop(*host);
}

}  // namespace
}  // namespace opr::test
