// The options every command takes (docs/cli.md), before or after the
// command's name: --version, -c, --db, --plugin-dir, --log-level over the
// config; and the tickets commands' refusals a user meets: a diagnosis
// with no text or from a file that cannot be read, --check NAME:failed.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

TEST(CommandLine, VersionPrintsTheVersionAndThePackAbi) {
  const std::string abi = std::to_string(OP_ABI_MAJOR) + "\\." + std::to_string(OP_ABI_MINOR);
  // -V as well as --version, alone or after a command's name.
  for (const auto& args :
       {std::vector<std::string>{"--version"}, {"-V"}, {"tickets", "list", "-V"}}) {
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 0) << args.back() << "\n" << result.err;
    EXPECT_TRUE(std::regex_match(
        result.out, std::regex(R"(operator-host \d+\.\d+\.\d+ \(pack ABI )" + abi + R"(\)\n)")))
        << args.back() << ": " << result.out;
    EXPECT_EQ(result.err, "");
  }
}

TEST(CommandLine, HelpExitsZeroAndBadUsageTwo) {
  for (const auto& args : {std::vector<std::string>{"--help"},
                           {"-h"},
                           {"tickets", "--help"},
                           {"tickets", "show", "--help"},
                           {"config", "check", "--help"},
                           {"plugins", "list", "--help"}}) {
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 0) << args.front() << "\n" << result.err;
    EXPECT_TRUE(contains(result.out, "sage")) << result.out;  // Usage: / usage:
  }
  // A command's help is that command's.
  EXPECT_TRUE(contains(run_operator_host({"config", "check", "--help"}).out,
                       "usage: operator-host config check"));
  const std::vector<std::pair<std::vector<std::string>, std::string>> bad = {
      {{}, "operator-host: give --config FILE to run the monitor, or a command\nUsage:"},
      {{"frobnicate"}, "operator-host: unknown command 'frobnicate'"},
      {{"--frobnicate"}, "operator-host: unknown option '--frobnicate'"},
      {{"--config"}, "operator-host: "}};
  for (const auto& [args, message] : bad) {
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 2) << (args.empty() ? "(nothing)" : args.front());
    EXPECT_TRUE(result.err.starts_with(message)) << result.err;
  }
}

TEST(CommandLine, AListWithNothingToShowSaysSo) {
  TempDir dir;
  const std::string db = (dir / "tickets.db").string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> lists = {
      {{}, "no open tickets\n"},
      {{"--all"}, "no tickets\n"},
      {{"--status", "open"}, "no tickets\n"},
      {{"--json"}, "[]\n"}};
  for (const auto& [options, printed] : lists) {
    std::vector<std::string> args = {"--db", db, "tickets", "list"};
    args.insert(args.end(), options.begin(), options.end());
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, printed);
  }
}

class Options : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(harness_.file("a.cmd"), "violate s1 warning disk full\n");
    harness_.write_config("log: {level: error}\ntargets:\n" + control_target(harness_, "a"));
  }

  std::string config() const { return harness_.config_path().string(); }
  std::string db() const { return harness_.db_path().string(); }

  HostHarness harness_;
};

TEST_F(Options, ShortConfigIsConfigForEveryCommand) {
  const CommandResult once = run_operator_host({"-c", config(), "--once"});
  EXPECT_EQ(once.exit_code, 1) << once.err;
  EXPECT_TRUE(contains(once.out, "VIOLATION a/probe: s1: disk full")) << once.out;
  const CommandResult check = run_operator_host({"config", "check", "-c", config()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(contains(check.out, config() + ": valid; 1 target")) << check.out;
  // The tickets commands read the config's database.
  const CommandResult list = run_operator_host({"tickets", "list", "--json", "-c", config()});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(Json::parse(list.out).size(), 1u) << list.out;
}

TEST_F(Options, OptionsComeBeforeOrAfterTheCommandsName) {
  ASSERT_EQ(harness_.run_once().exit_code, 1);
  const std::string id = std::to_string(harness_.tickets().front().id);
  for (const auto& args : {std::vector<std::string>{"--db", db(), "tickets", "list", "--json"},
                           {"tickets", "--db", db(), "list", "--json"},
                           {"tickets", "list", "--json", "--db", db()}}) {
    const CommandResult result = run_operator_host(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(Json::parse(result.out, nullptr, false).size(), 1u) << result.out;
  }
  const CommandResult show = run_operator_host({"tickets", "show", id, "--json", "--db", db()});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(Json::parse(show.out)["violation_key"], "a/probe/s1");
  // --plugin-dir after the command replaces the config's plugin_dirs.
  const CommandResult elsewhere = run_operator_host(
      {"config", "check", "--config", config(), "--plugin-dir", harness_.file("none").string()});
  EXPECT_EQ(elsewhere.exit_code, 1);
  EXPECT_TRUE(contains(elsewhere.err, "unknown pack 'control'")) << elsewhere.err;
  // And the monitor's --once anywhere.
  const CommandResult once = run_operator_host({"--once", "--config", config()});
  EXPECT_EQ(once.exit_code, 1) << once.err;
}

// --db, else the config's database (relative to the config's folder),
// else $OPERATOR_DB: for the monitor as for every command.
TEST_F(Options, TheMonitorTakesItsDatabaseFromTheFirstPlaceThatSetsIt) {
  const auto opened_in = [&](const std::filesystem::path& db) {
    if (!std::filesystem::exists(db)) return false;
    const CommandResult list =
        run_operator_host({"--db", db.string(), "tickets", "list", "--json"});
    return list.exit_code == 0 && Json::parse(list.out).size() == 1;
  };
  const auto elsewhere = harness_.file("elsewhere");
  std::filesystem::create_directory(elsewhere);
  ProcessOptions from_elsewhere;  // relative paths are not the working folder's
  from_elsewhere.cwd = elsewhere;
  from_elsewhere.env["OPERATOR_DB"] = harness_.file("from-env.db").string();

  const auto cli_db = harness_.file("from-cli.db");
  EXPECT_EQ(
      run_operator_host({"--config", config(), "--once", "--db", cli_db.string()}, from_elsewhere)
          .exit_code,
      1);
  EXPECT_TRUE(opened_in(cli_db));
  EXPECT_FALSE(std::filesystem::exists(harness_.db_path()));

  const std::string targets = "targets:\n" + control_target(harness_, "a");
  const std::string packs = "plugin_dirs: [packs]\n";  // relative to the config, too
  write_whole_config(harness_, "database: relative.db\n" + packs + targets);
  EXPECT_EQ(run_operator_host({"--config", config(), "--once"}, from_elsewhere).exit_code, 1);
  EXPECT_TRUE(opened_in(harness_.file("relative.db")));
  EXPECT_FALSE(std::filesystem::exists(elsewhere / "relative.db"));

  write_whole_config(harness_, packs + targets);
  EXPECT_EQ(run_operator_host({"--config", config(), "--once"}, from_elsewhere).exit_code, 1);
  EXPECT_TRUE(opened_in(harness_.file("from-env.db")));
}

// --plugin-dir (repeatable) replaces the config's plugin_dirs; without
// either, $OPERATOR_PLUGIN_PATH (colon-separated).
TEST_F(Options, TheMonitorFindsItsPacksWhereTheCommandLineOrEnvironmentSays) {
  const auto empty = harness_.file("empty");
  std::filesystem::create_directory(empty);
  const auto others = harness_.file("others");
  std::filesystem::create_directory(others);
  copy_pack(example_pack(), others);
  const std::string targets = "database: " + db() + "\ntargets:\n" + control_target(harness_, "a");

  write_whole_config(harness_, "plugin_dirs: [" + empty.string() + "]\n" + targets);
  EXPECT_EQ(harness_.run_once().exit_code, 3) << "the control pack was found";
  const CommandResult replaced =
      run_operator_host({"--config", config(), "--once", "--plugin-dir", others.string(),
                         "--plugin-dir", harness_.file("packs").string()});
  EXPECT_EQ(replaced.exit_code, 1) << replaced.err;

  write_whole_config(harness_, targets);
  ProcessOptions path;
  path.env["OPERATOR_PLUGIN_PATH"] = others.string() + ":" + harness_.file("packs").string();
  const CommandResult from_env = run_operator_host({"--config", config(), "--once"}, path);
  EXPECT_EQ(from_env.exit_code, 1) << from_env.err;
  EXPECT_TRUE(contains(from_env.out, "VIOLATION a/probe: s1")) << from_env.out;
}

TEST_F(Options, LogLevelOnTheCommandLineOverridesTheConfig) {
  // The config says error: the command line opens the log up...
  const CommandResult louder =
      run_operator_host({"--config", config(), "--once", "--log-level", "debug"});
  EXPECT_EQ(louder.exit_code, 1) << louder.err;
  EXPECT_TRUE(contains(louder.err, " debug ")) << louder.err;
  EXPECT_TRUE(contains(louder.err, " info Check complete")) << louder.err;
  // ...and closes it down below the config's.
  harness_.write_config("log: {level: debug}\ntargets:\n" + control_target(harness_, "a"));
  const CommandResult quieter =
      run_operator_host({"--config", config(), "--once", "--log-level", "error"});
  EXPECT_EQ(quieter.exit_code, 1) << quieter.err;
  EXPECT_EQ(quieter.err, "");
  EXPECT_TRUE(contains(quieter.out, "WARNING - ")) << quieter.out;
}

TEST_F(Options, ALogLevelThatIsNoneIsBadUsageForEveryCommand) {
  for (const auto& args : {std::vector<std::string>{"--config", config(), "--log-level", "loud"},
                           {"--config", config(), "--once", "--log-level", "loud"},
                           {"--db", db(), "tickets", "list", "--log-level", "loud"}}) {
    const CommandResult result = run_operator_host(args);
    EXPECT_TRUE(contains(result.err, "operator-host: --log-level: unknown log level 'loud'"))
        << result.err;
    // --once is a monitoring plugin's run: bad usage is UNKNOWN, on stdout too.
    if (std::find(args.begin(), args.end(), "--once") != args.end()) {
      EXPECT_EQ(result.exit_code, 3) << result.err;
      EXPECT_TRUE(result.out.starts_with("UNKNOWN - --log-level: unknown log level 'loud'"))
          << result.out;
      continue;
    }
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_FALSE(std::filesystem::exists(harness_.db_path())) << "a command ran";
}

// ---- tickets commands --------------------------------------------------------

class TicketsCommands : public Options {
 protected:
  void SetUp() override {
    Options::SetUp();
    ASSERT_EQ(harness_.run_once().exit_code, 1);
    id_ = std::to_string(harness_.open_ticket("a/probe/s1")->id);
  }

  CommandResult diagnose(const std::vector<std::string>& how, const ProcessOptions& options = {}) {
    std::vector<std::string> args = {"--db", db(), "tickets", "diagnose", id_};
    args.insert(args.end(), how.begin(), how.end());
    return run_operator_host(args, options);
  }

  std::string id_;
};

TEST_F(TicketsCommands, ADiagnosisWithoutTextIsRefusedAndChangesNothing) {
  write_file(harness_.file("empty.md"), "\n\n");
  ProcessOptions no_input;
  no_input.stdin_text = " \n";
  for (const auto& [how, options] :
       std::vector<std::pair<std::vector<std::string>, ProcessOptions>>{
           {{"--text", ""}, {}},
           {{"--text", "  \n\t"}, {}},
           {{"--file", harness_.file("empty.md").string()}, {}},
           {{"-"}, no_input}}) {
    const CommandResult result = diagnose(how, options);
    EXPECT_EQ(result.exit_code, 1) << how[0];
    EXPECT_EQ(result.err, "operator-host: a diagnosis needs some text\n") << how[0];
    EXPECT_EQ(result.out, "");
  }
  const auto ticket = harness_.open_ticket("a/probe/s1");
  EXPECT_EQ(ticket->status, tickets::Status::open);
  EXPECT_EQ(ticket->diagnosis, "");
}

TEST_F(TicketsCommands, ADiagnosisFromAFileThatCannotBeReadIsRefused) {
  for (const std::string& path :
       {harness_.file("missing.md").string(), harness_.dir().path().string()}) {
    const CommandResult result = diagnose({"--file", path});
    EXPECT_EQ(result.exit_code, 1) << path;
    EXPECT_TRUE(result.err.starts_with("operator-host: cannot read " + path)) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(harness_.open_ticket("a/probe/s1")->status, tickets::Status::open);
}

TEST_F(TicketsCommands, CheckNameColonFailedListsTheFailedChecksTicket) {
  write_file(harness_.file("a.cmd"), "fail endpoint down\n");
  harness_.write_config("defaults: {failure_threshold: 1}\ntargets:\n" +
                        control_target(harness_, "a"));
  ASSERT_EQ(harness_.run_once().exit_code, 3);
  const auto keys = [&](const std::string& check) {
    const CommandResult result =
        run_operator_host({"--db", db(), "tickets", "list", "--check", check, "--json"});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    std::vector<std::string> found;
    for (const auto& ticket : Json::parse(result.out)) found.push_back(ticket["violation_key"]);
    return found;
  };
  EXPECT_EQ(keys("probe:failed"), std::vector<std::string>{"a/probe:failed"});
  EXPECT_EQ(keys("probe"), std::vector<std::string>{"a/probe/s1"});
  ProcessOptions wide;
  wide.env["COLUMNS"] = "200";
  const CommandResult table =
      run_operator_host({"--db", db(), "tickets", "list", "--check", "probe:failed"}, wide);
  EXPECT_TRUE(contains(table.out, "  probe:failed  ")) << table.out;
  EXPECT_TRUE(contains(table.out, "endpoint down")) << table.out;
  EXPECT_FALSE(contains(table.out, "control violation")) << table.out;
}

}  // namespace
}  // namespace opr::test
