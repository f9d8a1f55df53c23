// What the monitor does with what it finds at start: an unusable config or
// ticket database ends it (exit 1; --once: 3, UNKNOWN) with a message naming
// the file, and never the password of a connection string; a pack file that
// does not load is logged by name and the other packs run.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// The monitor with `extra` arguments, run until it exits by itself.
CommandResult run_monitor(const HostHarness& harness, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"--config", harness.config_path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_operator_host(args);
}

TEST(Startup, AConfigThatCannotBeReadExitsOneAndOnceThree) {
  HostHarness harness;  // no config written
  const std::string where = harness.config_path().string() + ":1:1: ";
  const CommandResult monitor = run_monitor(harness);
  EXPECT_EQ(monitor.exit_code, 1) << monitor.err;
  EXPECT_TRUE(contains(monitor.err, "operator-host: " + where + "cannot read the config file"))
      << monitor.err;
  const CommandResult once = run_monitor(harness, {"--once"});
  EXPECT_EQ(once.exit_code, 3) << once.err;
  EXPECT_TRUE(contains(once.err, where)) << once.err;
}

TEST(Startup, AnInvalidConfigExitsOneAtItsFileLineAndColumn) {
  HostHarness harness;
  // Line 4 (after database, plugin_dirs and targets): the pack, column 21.
  harness.write_config("targets:\n  - {name: a, pack: nosuchpack}\n");
  const CommandResult monitor = run_monitor(harness);
  EXPECT_EQ(monitor.exit_code, 1) << monitor.err;
  EXPECT_TRUE(contains(monitor.err, "operator-host: " + harness.config_path().string() +
                                        ":4:21: unknown pack 'nosuchpack' in target 'a'"))
      << monitor.err;
  EXPECT_FALSE(contains(monitor.err, "monitoring")) << "something ran";
}

struct BadDatabase {
  std::string name;
  std::string path;     // relative to the harness's folder
  std::string message;  // what operator-host says (our words)
};

void PrintTo(const BadDatabase& bad, std::ostream* out) { *out << bad.name; }

class UnusableDatabase : public ::testing::TestWithParam<BadDatabase> {
 protected:
  void SetUp() override {
    write_file(harness_.file("a.cmd"), "ok\n");
    harness_.write_config("targets:\n" + control_target(harness_, "a"));
    std::string garbage;
    for (int i = 0; i < 64; ++i) garbage += "this is not an SQLite database\n";
    write_file(harness_.file("garbage.db"), garbage);
    write_file(harness_.file("a-file"), "not a folder\n");
    const CommandResult newer = run_command(
        {"/usr/bin/sqlite3", harness_.file("newer.db").string(),
         "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL);"
         "INSERT INTO schema_version VALUES (99, 0);"});
    ASSERT_EQ(newer.exit_code, 0) << newer.err;
    const CommandResult foreign =
        run_command({"/usr/bin/sqlite3", harness_.file("app.db").string(),
                     "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);"});
    ASSERT_EQ(foreign.exit_code, 0) << foreign.err;
  }

  HostHarness harness_;
};

// The monitor exits 1, --once 3 (UNKNOWN: nothing was looked at, said on
// stdout as a plugin's status line), each naming the database; no check ran.
TEST_P(UnusableDatabase, EndsTheMonitorWithOneAndOnceWithThree) {
  const std::string db = harness_.file(GetParam().path).string();
  for (const bool once : {false, true}) {
    std::vector<std::string> extra = {"--db", db};
    if (once) extra.emplace_back("--once");
    const CommandResult result = run_monitor(harness_, extra);
    EXPECT_EQ(result.exit_code, once ? 3 : 1) << result.err;
    EXPECT_TRUE(contains(result.err, "operator-host: ")) << result.err;
    EXPECT_TRUE(contains(result.err, db)) << result.err;
    EXPECT_TRUE(contains(result.err, GetParam().message)) << result.err;
    EXPECT_EQ(runs_of(harness_, "a"), 0);
    if (once) {
      // A monitoring plugin's one status line, on stdout.
      EXPECT_TRUE(result.out.starts_with("UNKNOWN - ")) << result.out;
      EXPECT_TRUE(contains(result.out, db)) << result.out;
    } else {
      EXPECT_EQ(result.out, "");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Databases, UnusableDatabase,
    ::testing::Values(BadDatabase{"not_sqlite", "garbage.db", "cannot open the ticket database"},
                      BadDatabase{"from_a_newer_host", "newer.db",
                                  "has schema version 99, this operator-host supports up to"},
                      BadDatabase{"under_a_file", "a-file/tickets.db", "cannot create"},
                      BadDatabase{"of_another_program", "app.db",
                                  "holds other tables (customers) and no ticket schema"}),
    [](const ::testing::TestParamInfo<BadDatabase>& info) { return info.param.name; });

// Tickets name hosts and what operators wrote about them: whichever opens
// a database others can read (a monitor, a CLI command) makes it private.
TEST(Startup, ADatabaseOpenToOthersIsMadePrivateByTheMonitorAndTheCommandLine) {
  HostHarness harness;
  write_file(harness.file("a.cmd"), "ok\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  const auto mode = [&] {
    struct stat info {};
    ::stat(harness.db_path().c_str(), &info);
    return info.st_mode & 0777;
  };
  ASSERT_EQ(harness.run({"tickets", "list"}).exit_code, 0);
  ::chmod(harness.db_path().c_str(), 0644);
  EXPECT_EQ(harness.run({"tickets", "list"}).exit_code, 0);
  EXPECT_EQ(mode(), 0600u);
  ::chmod(harness.db_path().c_str(), 0666);
  EXPECT_EQ(harness.run_once().exit_code, 0);
  EXPECT_EQ(mode(), 0600u);
}

// A PostgreSQL server nobody listens for (a free loopback port): what
// SOCI and libpq say about it, which may quote the connection string, and
// the host's own lines show the connection with its password masked, from
// --db and from the config, in the text and the JSON log, for the monitor,
// --once and the tickets commands.
TEST(Startup, APostgresqlPasswordNeverReachesStderrOrTheLog) {
  const std::string secret = "hunter2-SECRET";
  const std::string at = "127.0.0.1:" + std::to_string(free_port());
  const std::string pairs =
      "host=127.0.0.1 port=" + at.substr(at.find(':') + 1) + " user=op dbname=ops password=";
  const std::vector<std::string> connections = {
      "postgresql://op:" + secret + "@" + at + "/ops",
      "postgresql://" + pairs + secret,
      "postgresql://" + pairs + "'" + secret + "'",
      // libpq quotes the piece it cannot decode, here the password
      "postgresql://op:" + secret + "%zz@" + at + "/ops",
  };
  HostHarness harness;
  write_file(harness.file("a.cmd"), "ok\n");
  for (const std::string& connection : connections) {
    SCOPED_TRACE(connection);
    const std::string quoted = "\"" + connection + "\"";
    for (const std::string format : {"text", "json"}) {
      write_whole_config(harness, "database: " + quoted + "\nplugin_dirs: [" +
                                      harness.file("packs").string() +
                                      "]\nlog: {format: " + format + ", level: debug}\ntargets:\n" +
                                      control_target(harness, "a"));
      for (const auto& [args, code] : std::vector<std::pair<std::vector<std::string>, int>>{
               {{}, 1}, {{"--once"}, 3}, {{"tickets", "list"}, 1}}) {
        const CommandResult result = harness.run(args);
        EXPECT_EQ(result.exit_code, code) << result.err;
        EXPECT_TRUE(contains(result.err, "cannot open the ticket database postgresql://"))
            << result.err;
        EXPECT_TRUE(contains(result.err, "***")) << result.err;
        EXPECT_FALSE(contains(result.out + result.err, "hunter2")) << result.out << result.err;
      }
    }
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--db", connection, "--once"},
          {"tickets", "show", "1", "--db", connection}}) {
      const CommandResult result = harness.run(args);
      EXPECT_NE(result.exit_code, 0);
      EXPECT_TRUE(contains(result.err, "***")) << result.err;
      EXPECT_FALSE(contains(result.out + result.err, "hunter2")) << result.out << result.err;
    }
  }
  EXPECT_EQ(runs_of(harness, "a"), 0);
}

TEST(Startup, APackFileThatDoesNotLoadIsLoggedAndTheOtherPacksRun) {
  // bad.so is not a shared library at all.
  HostHarness harness({fixture_pack("control"), fixture_pack("bad")});
  write_file(harness.file("a.cmd"), "violate s1 warning\n");
  harness.write_config("targets:\n" + control_target(harness, "a"));
  auto host = harness.start();
  ASSERT_TRUE(wait_until([&] { return harness.open_ticket("a/probe/s1").has_value(); }, 30s))
      << host->err();
  EXPECT_TRUE(
      contains(host->err(), "pack not loaded: " + harness.file("packs/bad.so").string() + ": "))
      << host->err();
  stop_host(*host);

  const CommandResult once = harness.run_once();
  EXPECT_EQ(once.exit_code, 1) << once.out << once.err;  // the warning, not UNKNOWN
  EXPECT_TRUE(contains(once.err, "pack not loaded: " + harness.file("packs/bad.so").string()))
      << once.err;
}

}  // namespace
}  // namespace opr::test
