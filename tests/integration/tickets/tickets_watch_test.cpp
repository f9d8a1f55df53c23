// `tickets watch` as a person runs it: on a pseudo-terminal it shows a
// ticket the monitor opens without a keypress, and Ctrl-C leaves the
// terminal as it was; without a terminal it prints the list once per
// interval. `tickets list` on a terminal: colour unless NO_COLOR, fitted
// to the terminal's width.
#include <signal.h>

#include <gtest/gtest.h>

#include "pty_process.h"
#include "tickets_cli_fixture.h"

namespace {

using namespace std::chrono_literals;
using opr::test::PtyProcess;

constexpr auto kTimeout = 20s;
// What watch writes on the way out: the cursor shown, the alternate screen left.
const std::string kRestored = "\x1b[?25h\x1b[?1049l";

class TicketsWatch : public opr::test::TicketsCli {
 protected:
  // `operator-host --db DB tickets ARGS...` on a terminal of 24 rows.
  std::unique_ptr<PtyProcess> on_terminal(const std::vector<std::string>& args,
                                          std::map<std::string, std::string> env = {},
                                          unsigned short columns = 80) {
    std::vector<std::string> argv{opr::test::operator_host().string(), "--db", db(), "tickets"};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("TERM", "xterm");
    std::vector<std::string> unset{"OPERATOR_DB", "COLUMNS"};
    if (!env.count("NO_COLOR")) unset.emplace_back("NO_COLOR");
    return std::make_unique<PtyProcess>(argv, env, unset, 24, columns);
  }
};

// The interval is an hour: only the database's change can redraw it.
TEST_F(TicketsWatch, ANewTicketAppearsWithoutAKeypressAndCtrlCRestoresTheTerminal) {
  seed("tikv", "store_up", {"1=s1 is Down"});
  auto watch = on_terminal({"watch", "--interval", "1h"});
  ASSERT_TRUE(watch->wait_for_output("s1 is Down", kTimeout)) << watch->output();
  EXPECT_EQ(watch->output().rfind("\x1b[?1049h", 0), 0u) << watch->output();  // alternate screen

  seed("tikv", "disk_space", {"2=s2 disk 91%"});
  EXPECT_TRUE(watch->wait_for_output("s2 disk 91%", kTimeout)) << watch->output();

  watch->signal(SIGINT);
  EXPECT_EQ(watch->wait(kTimeout), 0) << watch->output();
  const std::string& out = watch->output();
  ASSERT_GE(out.size(), kRestored.size());
  EXPECT_EQ(out.substr(out.size() - kRestored.size()), kRestored) << out;
}

TEST_F(TicketsWatch, SigtermRestoresTheTerminalToo) {
  auto watch = on_terminal({"watch", "--interval", "100ms"});
  ASSERT_TRUE(watch->wait_for_output("no open tickets", kTimeout)) << watch->output();
  watch->signal(SIGTERM);
  EXPECT_EQ(watch->wait(kTimeout), 0) << watch->output();
  EXPECT_TRUE(watch->output().ends_with(kRestored)) << watch->output();
}

// Without a terminal, as `watch` users log it: the list once per interval,
// a blank line between two, no screen control.
TEST_F(TicketsWatch, WithoutATerminalItPrintsTheListOncePerInterval) {
  seed("tikv", "store_up", {"1=store 1 is Down"});
  opr::test::Process watch({opr::test::operator_host().string(), "--db", db(), "tickets", "watch",
                            "--interval", "100ms"});
  ASSERT_TRUE(watch.wait_for_output("store 1 is Down\n\nEvery 100ms: ", kTimeout)) << watch.out();
  watch.signal(SIGTERM);
  EXPECT_EQ(watch.wait(kTimeout), 0) << watch.err();
  EXPECT_EQ(watch.out().find("\x1b"), std::string::npos) << watch.out();
  EXPECT_EQ(watch.out().rfind("Every 100ms: operator-host tickets watch", 0), 0u) << watch.out();
}

TEST_F(TicketsWatch, ListOnATerminalIsColouredUnlessNoColorAndFitsItsWidth) {
  seed("tikv", "store_up",
       {"1=store 1 is Down: no heartbeat for 20 minutes, its regions are moving away"});
  auto list = on_terminal({"list"}, {}, 100);
  EXPECT_EQ(list->wait(kTimeout), 0) << list->output();
  EXPECT_NE(list->output().find("\x1b[31mcrit\x1b[0m"), std::string::npos) << list->output();
  // 70 columns before the message leave it 30 of the 100.
  EXPECT_NE(list->output().find("  store 1 is Down: no heartb...\r\n"), std::string::npos)
      << list->output();

  auto plain = on_terminal({"list"}, {{"NO_COLOR", "1"}});
  EXPECT_EQ(plain->wait(kTimeout), 0) << plain->output();
  EXPECT_EQ(plain->output().find("\x1b["), std::string::npos) << plain->output();
}

}  // namespace
