// What a pack says is shown, never obeyed: a violation's subject and
// message, an unknown subject's reason, a failed run's error and a line the
// pack logs reach --once and the text log with their control characters
// escaped, one line each, and the JSON log and --json as valid JSON (the
// exact text when it is UTF-8; U+FFFD for each byte that is not).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

// ESC [2J (clear the screen), red, reset, BEL; and as a terminal shows it.
const std::string kHostile = "\x1b[2J\x1b[31mPWNED\x1b[0m\a";
const std::string kShown = R"(\x1b[2J\x1b[31mPWNED\x1b[0m\x07)";
// An 8-bit CSI and a byte that is no UTF-8; as shown; as JSON carries them.
const std::string kBytes =
    "\x9b"
    "31m\xff";
const std::string kBytesShown = R"(\x9b31m\xff)";
const std::string kBytesJson =
    "\xEF\xBF\xBD"
    "31m\xEF\xBF\xBD";

class PackText : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(harness_.file("a.cmd"),
               "log said" + kHostile + "\nviolate s1" + kHostile + " warning disk" + kHostile +
                   "full\nviolate s3 info bad" + kBytes + "\nunknown s2 gone" + kBytes + "\n");
    write_file(harness_.file("b.cmd"), "fail broke" + kHostile + kBytes + "\n");
  }

  // Targets a and b of the control pack, after `head` (e.g. a log section).
  void write_config(const std::string& head = "") const {
    harness_.write_config(head + "targets:\n" + control_target(harness_, "a") +
                          control_target(harness_, "b"));
  }

  HostHarness harness_;
};

TEST_F(PackText, IsEscapedInOnceAndTheTextLog) {
  write_config();
  const CommandResult once = harness_.run({"--once", "--log-level", "debug"});
  EXPECT_EQ(once.exit_code, 3) << once.out << once.err;
  EXPECT_EQ(raw_terminal_control(once.out), "") << once.out;
  EXPECT_EQ(raw_terminal_control(once.err), "") << once.err;
  EXPECT_TRUE(
      contains(once.out, "VIOLATION a/probe: s1" + kShown + ": disk" + kShown + "full (warning)\n"))
      << once.out;
  EXPECT_TRUE(contains(once.out, "VIOLATION a/probe: s3: bad" + kBytesShown + " (info)\n"))
      << once.out;
  EXPECT_TRUE(contains(once.out, "UNKNOWN a/probe: s2: gone" + kBytesShown + "\n")) << once.out;
  EXPECT_TRUE(contains(once.out, "FAILED b/probe: broke" + kShown + kBytesShown + "\n"))
      << once.out;
  // The log: the pack's own line, the engine's lines quoting the pack.
  EXPECT_TRUE(contains(once.err, " warning [control/a] said" + kShown + "\n")) << once.err;
  EXPECT_TRUE(contains(once.err, "could not evaluate s2: gone" + kBytesShown + "\n")) << once.err;
  EXPECT_TRUE(
      contains(once.err, "b/probe failed (1 in a row): broke" + kShown + kBytesShown + "\n"))
      << once.err;

  // What the tickets keep is what the pack said; --json shows it as JSON can.
  const std::vector<Json> tickets = harness_.cli_tickets();
  ASSERT_EQ(tickets.size(), 2u);
  for (const Json& ticket : tickets) {
    const std::string expected =
        ticket["subject"] == "s3" ? "bad" + kBytesJson : "disk" + kHostile + "full";
    EXPECT_EQ(ticket["message"], expected);
  }
  const CommandResult list = harness_.run({"tickets", "list", "--json"});
  EXPECT_EQ(raw_terminal_control(list.out), "") << list.out;
}

TEST_F(PackText, IsExactInTheJsonLog) {
  write_config("log: {level: debug, format: json}\n");
  const auto monitor = harness_.start();
  // Each target's runner starts on its own, so the three lines come in any
  // order and over more than one cycle: wait for all of them.
  bool logged = false, failed = false, unknown = false;
  std::string not_json;
  const auto read_log = [&] {
    std::istringstream lines(monitor->err());
    for (std::string line; std::getline(lines, line) && !lines.eof();) {  // whole lines only
      if (line.empty()) continue;
      const Json entry = Json::parse(line, nullptr, false);
      if (entry.is_discarded()) {
        not_json = line;
        return true;
      }
      const std::string message = entry["message"];
      logged = logged || message == "[control/a] said" + kHostile;
      failed = failed || contains(message, "failed (1 in a row): broke" + kHostile + kBytesJson);
      unknown = unknown || contains(message, "could not evaluate s2: gone" + kBytesJson);
    }
    return logged && failed && unknown;
  };
  EXPECT_TRUE(wait_until(read_log, std::chrono::seconds(30))) << monitor->err();
  EXPECT_EQ(not_json, "");
  EXPECT_TRUE(logged && failed && unknown) << monitor->err();
  EXPECT_EQ(raw_terminal_control(monitor->err()), "") << monitor->err();
}

}  // namespace
}  // namespace opr::test
