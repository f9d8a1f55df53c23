// SIGHUP as docs/operations.md promises it: grace clocks live in the
// database and go on; unchanged checks keep their schedule and unchanged
// targets their pack instance (a changed or removed one is destroyed); packs
// added to the plugin folder load; a new `database:` waits for a restart;
// --log-level on the command line wins over the reloaded config.
#include <gtest/gtest.h>
#include <signal.h>

#include <optional>
#include <string>

#include "engine_helpers.h"
#include "host_harness.h"
#include "tickets/ticket_store.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// When the violation `key`, inside its grace, was first seen (ms since the
// epoch), as the database keeps it; nullopt while it is not pending.
std::optional<int64_t> pending_since(const HostHarness& harness, const std::string& key) {
  if (!std::filesystem::exists(harness.db_path())) return std::nullopt;
  const CommandResult result = run_command(
      {"/usr/bin/sqlite3", "-readonly", harness.db_path().string(),
       "SELECT first_seen_at FROM pending_violations WHERE violation_key = '" + key + "';"});
  if (result.exit_code != 0 || result.out.empty()) return std::nullopt;
  return std::stoll(result.out);
}

int64_t ms_since_epoch(TimePoint time) { return time.time_since_epoch().count(); }

// Writes `config`, sends SIGHUP once the monitor runs, and waits for
// `config reloaded`.
void reload(HostHarness& harness, Process& host, const std::string& config) {
  ASSERT_TRUE(host.wait_for_output("monitoring ", 30s)) << host.err();
  const int before = count_occurrences(host.err(), "config reloaded");
  harness.write_config(config);
  host.signal(SIGHUP);
  ASSERT_TRUE(
      wait_until([&] { return count_occurrences(host.err(), "config reloaded") > before; }, 30s))
      << host.err();
}

TEST(Reload, AViolationInItsGraceOpensAtItsFirstSightPlusGraceNotAtTheReload) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning disk slow\n");
  // Long enough that the reload surely lands inside it.
  const milliseconds grace = 6s;
  harness.write_config("targets:\n" + control_target(harness, "a", ", interval: 100ms, grace: 6s"));
  auto host = harness.start();
  std::optional<int64_t> first_seen;
  ASSERT_TRUE(wait_until(
      [&] {
        first_seen = pending_since(harness, "a/probe/s1");
        return first_seen.has_value();
      },
      30s))
      << host->err();

  // The reload changes the check (a new interval: a new schedule), and
  // still the clock of its pending violation goes on.
  const int64_t reloaded_at = ms_since_epoch(now_ms());
  reload(harness, *host,
         "targets:\n" + control_target(harness, "a", ", grace: 6s, interval: 150ms"));
  ASSERT_TRUE(harness.tickets_with_key("a/probe/s1").empty())
      << "the ticket opened before the reload took effect; the test proves nothing";

  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  const auto ticket = *harness.open_ticket("a/probe/s1");
  EXPECT_EQ(ms_since_epoch(ticket.first_seen_at), *first_seen) << "the grace clock restarted";
  EXPECT_LT(*first_seen, reloaded_at);
  EXPECT_GE(ticket.created_at - ticket.first_seen_at, grace);
  stop_host(*host);
}

TEST(Reload, AnUnchangedCheckKeepsItsScheduleAndAChangedOneStartsAgain) {
  HostHarness harness;
  write_file(harness.file("slow.cmd"), "ok\n");
  write_file(harness.file("fast.cmd"), "ok\n");
  write_file(harness.file("extra.cmd"), "ok\n");
  // slow is the first check in the config: a new schedule would run it at
  // once (the first check starts without delay), its old one not for an hour.
  const std::string slow = control_target(harness, "slow", ", interval: 1h");
  const std::string fast = control_target(harness, "fast");
  harness.write_config("targets:\n" + slow + fast);
  auto host = harness.start();
  ASSERT_TRUE(wait_until(
      [&] { return runs_of(harness, "slow") == 1 && runs_of(harness, "fast") >= 2; }, 30s))
      << host->err();

  // A target added, slow and fast as they were.
  reload(harness, *host, "targets:\n" + slow + fast + control_target(harness, "extra"));
  const int fast_runs = runs_of(harness, "fast");
  ASSERT_TRUE(wait_until(
      [&] { return runs_of(harness, "extra") >= 3 && runs_of(harness, "fast") >= fast_runs + 3; },
      30s))
      << host->err();
  EXPECT_EQ(runs_of(harness, "slow"), 1) << "an unchanged check was scheduled anew";

  // slow's interval changes: a new schedule, whose first run is now.
  reload(harness, *host,
         "targets:\n" + control_target(harness, "slow", ", interval: 59m") + fast +
             control_target(harness, "extra"));
  EXPECT_TRUE(wait_until([&] { return runs_of(harness, "slow") == 2; }, 30s)) << host->err();
  stop_host(*host);
}

TEST(Reload, AnUnchangedTargetKeepsItsInstanceAChangedOrRemovedOneIsDestroyed) {
  HostHarness harness;
  // Each target's create() and destroy() append to NAME.life; a second,
  // identical lifecycle file for `changed` changes its pack parameters.
  for (const std::string name : {"kept", "changed", "gone"}) {
    write_file(harness.file(name + ".cmd"), "ok\n");
    const std::string life = harness.file(name + ".life").string();
    write_file(harness.file(name + ".lifecycle"),
               "create append " + life + "\ndestroy append " + life + "\n");
  }
  write_file(harness.file("changed.lifecycle2"), read_file(harness.file("changed.lifecycle")));
  const auto target = [&](const std::string& name, const std::string& lifecycle,
                          const std::string& check_extra = ", interval: 100ms") {
    return control_target(harness, name, check_extra,
                          "    lifecycle_file: " + harness.file(lifecycle).string() + "\n");
  };
  harness.write_config("targets:\n" + target("kept", "kept.lifecycle") +
                       target("changed", "changed.lifecycle") + target("gone", "gone.lifecycle"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until(
      [&] {
        return runs_of(harness, "kept") >= 1 && runs_of(harness, "changed") >= 1 &&
               runs_of(harness, "gone") >= 1;
      },
      30s))
      << host->err();

  // kept: its check's interval changes, not its pack parameters. changed:
  // another lifecycle_file. gone: left out.
  reload(harness, *host,
         "targets:\n" + target("kept", "kept.lifecycle", ", interval: 150ms") +
             target("changed", "changed.lifecycle2"));
  ASSERT_TRUE(wait_until(
      [&] {
        return count_lines(harness.file("changed.life"), "create") == 2 &&
               count_lines(harness.file("changed.life"), "destroy") == 1 &&
               count_lines(harness.file("gone.life"), "destroy") == 1;
      },
      30s))
      << host->err();
  const int kept_runs = runs_of(harness, "kept");
  const int gone_runs = runs_of(harness, "gone");
  ASSERT_TRUE(wait_until([&] { return runs_of(harness, "kept") >= kept_runs + 3; }, 30s))
      << host->err();
  EXPECT_EQ(count_lines(harness.file("kept.life"), "create"), 1) << "kept got a new instance";
  EXPECT_EQ(count_lines(harness.file("kept.life"), "destroy"), 0);
  EXPECT_EQ(runs_of(harness, "gone"), gone_runs) << "a removed target still runs";

  stop_host(*host);
  // At shutdown each instance still alive is destroyed once.
  EXPECT_EQ(count_lines(harness.file("kept.life"), "destroy"), 1);
  EXPECT_EQ(count_lines(harness.file("changed.life"), "destroy"), 2);
}

// Flapping settings are the monitor's own, applied when a ticket reopens: a
// reload changes them for the next reopen.
TEST(Reload, ANewFlappingThresholdTakesEffectAtOnce) {
  HostHarness harness;
  const std::string targets = "targets:\n" + control_target(harness, "a");
  const auto set = [&](const std::string& command) {
    write_file(harness.file("a.cmd"), command + "\n");
  };
  set("violate s1 warning");
  harness.write_config(targets);  // the default: flapping at the 3rd reopen
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  set("ok");
  ASSERT_TRUE(wait_until([&] { return !harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();

  reload(harness, *host, "flapping: {threshold: 1}\n" + targets);
  set("violate s1 warning");
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  EXPECT_TRUE(harness.open_ticket("a/probe/s1")->flapping) << "the first reopen, threshold 1";
  stop_host(*host);
}

TEST(Reload, ANewFailureThresholdTakesEffectAtOnce) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "fail no data\n");
  const std::string targets = "targets:\n" + control_target(harness, "a");
  harness.write_config("defaults: {failure_threshold: 1000}\n" + targets);
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("failed (2 in a row)", 30s)) << host->err();
  reload(harness, *host, "defaults: {failure_threshold: 2}\n" + targets);
  EXPECT_TRUE(wait_until([&] { return harness.open_ticket("a/probe:failed").has_value(); }, 30s))
      << host->err();
  stop_host(*host);
}

TEST(Reload, LoadsAPackAddedToThePluginFolder) {
  HostHarness harness({fixture_pack("control")});
  write_file(harness.file("a.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  auto host = harness.start();
  ASSERT_TRUE(host->wait_for_output("0 violations, 0 failures", 30s)) << host->err();

  // The example pack appears in the folder, and a target uses it.
  copy_pack(example_pack(), harness.file("packs"));
  const std::string stamp = harness.file("stamp").string();
  reload(harness, *host,
         "targets:\n" + control_target(harness, "a") +
             "  - name: files\n    pack: example\n    checks:\n"
             "      http_ok: {enabled: false}\n"
             "      file_fresh: {interval: 100ms, path: " +
             stamp + "}\n");
  EXPECT_TRUE(
      wait_until([&] { return harness.open_ticket("files/file_fresh/" + stamp).has_value(); }, 30s))
      << host->err();
  stop_host(*host);
}

void write_config_with_database(const HostHarness& harness, const std::filesystem::path& db,
                                const std::string& targets) {
  write_whole_config(harness, "database: " + db.string() + "\nplugin_dirs: [" +
                                  harness.file("packs").string() + "]\ntargets:\n" + targets);
}

std::vector<tickets::Ticket> tickets_in(const std::filesystem::path& db) {
  if (!std::filesystem::exists(db)) return {};
  tickets::ListFilter all;
  all.include_resolved = true;
  return tickets::TicketStore::open(db.string())->list(all);
}

bool has_ticket(const std::filesystem::path& db, const std::string& key) {
  for (const auto& ticket : tickets_in(db)) {
    if (ticket.violation_key == key) return true;
  }
  return false;
}

// A check turned off or a target removed leaves its open tickets open (no
// run can see whether their violation ended, and a config mistake must not
// resolve them all), and the monitor says so at every reload and start,
// naming them, until they are resolved or their check runs again.
TEST(Reload, OpenTicketsOfAChecksNoLongerRunStayOpenAndTheMonitorSaysSo) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning disk slow\n");
  const std::string b = control_target(harness, "b");
  harness.write_config("targets:\n" + control_target(harness, "a") + b);
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  EXPECT_FALSE(contains(host->err(), "does not run")) << host->err();

  // Logged just after "config reloaded" (or "monitoring"), so waited for.
  const auto logs = [&](const std::string& text) {
    return wait_until([&] { return contains(host->err(), text); }, 30s);
  };
  reload(harness, *host,
         "targets:\n" + control_target(harness, "a", ", interval: 100ms, enabled: false") + b);
  EXPECT_TRUE(
      logs("1 open ticket belongs to checks this config does not run, so no run will "
           "update or resolve them: a/probe (1, the check is disabled or not in the "
           "config)"))
      << host->err();

  reload(harness, *host, "targets:\n" + b);
  EXPECT_TRUE(logs("a/probe (1, the target is not in the config)")) << host->err();
  const auto kept = harness.open_ticket("a/probe/s1");
  ASSERT_TRUE(kept.has_value()) << "a config change resolved a ticket no run looked at";
  stop_host(*host);

  // A start says it too.
  host = harness.start();
  EXPECT_TRUE(logs("a/probe (1, the target is not in the config)")) << host->err();
  stop_host(*host);

  // Running the check again: no word of it, and its runs reach the ticket.
  harness.write_config("targets:\n" + control_target(harness, "a") + b);
  host = harness.start();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto now = harness.open_ticket("a/probe/s1");
        return now && now->occurrence_count > kept->occurrence_count;
      },
      30s))
      << host->err();
  EXPECT_FALSE(contains(host->err(), "does not run")) << host->err();
  stop_host(*host);
}

TEST(Reload, ANewDatabaseTakesEffectAtTheNextRestart) {
  HostHarness harness;
  const auto old_db = harness.db_path();
  const auto new_db = harness.file("new/tickets.db");
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  write_file(harness.file("b.cmd"), "violate s2 warning\n");
  write_config_with_database(harness, old_db, control_target(harness, "a"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return has_ticket(old_db, "a/probe/s1"); }, 30s)) << host->err();

  // Another database, and a new target: the target runs at once, its
  // tickets still go to the database the monitor opened.
  write_config_with_database(harness, new_db,
                             control_target(harness, "a") + control_target(harness, "b"));
  ASSERT_TRUE(host->wait_for_output("monitoring ", 30s)) << host->err();
  host->signal(SIGHUP);
  ASSERT_TRUE(host->wait_for_output("config reloaded", 30s)) << host->err();
  EXPECT_TRUE(contains(host->err(), "takes effect at the next restart")) << host->err();
  ASSERT_TRUE(wait_until([&] { return has_ticket(old_db, "b/probe/s2"); }, 30s)) << host->err();
  EXPECT_FALSE(std::filesystem::exists(new_db));
  stop_host(*host);

  // The restart opens the new one.
  host = harness.start();
  EXPECT_TRUE(wait_until(
      [&] { return has_ticket(new_db, "a/probe/s1") && has_ticket(new_db, "b/probe/s2"); }, 30s))
      << host->err();
  stop_host(*host);
}

TEST(Reload, LogLevelOnTheCommandLineWinsOverTheReloadedConfig) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "ok\n");
  const std::string targets = "targets:\n" + control_target(harness, "a");
  harness.write_config("log: {level: error}\n" + targets);
  auto host = harness.start({"--log-level", "debug"});
  ASSERT_TRUE(host->wait_for_output(" debug ", 30s)) << host->err();

  // Still error in the config, now in JSON so the lines after the reload
  // stand out: debug lines go on.
  reload(harness, *host, "log: {level: error, format: json}\n" + targets);
  const auto reloaded = host->err().find("config reloaded");
  EXPECT_TRUE(wait_until(
      [&] { return host->err().find(R"({"level":"debug")", reloaded) != std::string::npos; }, 30s))
      << host->err();
  stop_host(*host);
}

TEST(Reload, AQuieterLogLevelOnTheCommandLineStaysQuieterThanTheReloadedConfig) {
  HostHarness harness;
  write_file(harness.file("fails.cmd"), "fail no data\n");
  write_file(harness.file("passes.cmd"), "ok\n");
  const std::string targets = "defaults: {failure_threshold: 1000}\ntargets:\n" +
                              control_target(harness, "fails") + control_target(harness, "passes");
  harness.write_config("log: {level: debug}\n" + targets);
  auto host = harness.start({"--log-level", "warning"});
  ASSERT_TRUE(host->wait_for_output("failed (2 in a row)", 30s)) << host->err();

  // debug in the config, in JSON: only warnings follow (a line per failed
  // run), no info heartbeat, no debug line of the passing target.
  harness.write_config("log: {level: debug, format: json}\n" + targets);
  host->signal(SIGHUP);
  ASSERT_TRUE(
      wait_until([&] { return count_occurrences(host->err(), R"({"level":"warning")") >= 5; }, 30s))
      << host->err();
  EXPECT_FALSE(contains(host->err(), R"({"level":"info")")) << host->err();
  EXPECT_FALSE(contains(host->err(), R"({"level":"debug")")) << host->err();
  EXPECT_FALSE(contains(host->err(), " info ")) << host->err();
  stop_host(*host);
}

}  // namespace
}  // namespace opr::test
