// Bash completion of operator-host (completion/operator-host) in a real
// bash, as readline drives it: COMP_WORDS and COMP_CWORD set, the function
// called, COMPREPLY read. Commands, subcommands, each command's options
// (every one its --help names), files after the options that take them, and
// ticket IDs from a database the host wrote.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cli_help.h"
#include "host_harness.h"
#include "test_support.h"

namespace opr::test {
namespace {

namespace fs = std::filesystem;

struct Completion {
  std::set<std::string> words;
  std::string err;  // what completing wrote on the terminal: nothing, ever
};

// What TAB offers after `operator-host WORDS...`, the last word being the
// one under the cursor ("" for a new word).
Completion complete(const std::vector<std::string>& words, const ProcessOptions& options = {}) {
  std::vector<std::string> argv = {"/bin/bash",
                                   "--norc",
                                   "--noprofile",
                                   "-c",
                                   "source \"$0\" || exit 99\n"
                                   "COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                                   "COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}\n"
                                   "_operator_host || exit 98\n"
                                   "printf '%s\\n' \"${COMPREPLY[@]}\"",
                                   (source_dir() / "completion/operator-host").string(),
                                   operator_host().string()};
  argv.insert(argv.end(), words.begin(), words.end());
  const CommandResult result = run_command(argv, options);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  Completion completion{{}, result.err};
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) completion.words.insert(line);
  }
  return completion;
}

std::set<std::string> offered(const std::vector<std::string>& words,
                              const ProcessOptions& options = {}) {
  const Completion completion = complete(words, options);
  EXPECT_EQ(completion.err, "");
  return completion.words;
}

using Words = std::set<std::string>;

TEST(BashCompletion, CompletesCommands) {
  EXPECT_EQ(offered({"tic"}), Words{"tickets"});
  EXPECT_EQ(offered({""}), (Words{"cluster", "config", "plugins", "tickets"}));
  // After a global option and its value, still the commands.
  EXPECT_EQ(offered({"--db", "x.db", "p"}), Words{"plugins"});
}

TEST(BashCompletion, CompletesSubcommands) {
  const std::vector<std::string> commands = ticket_commands();
  EXPECT_EQ(offered({"tickets", ""}), Words(commands.begin(), commands.end()));
  EXPECT_EQ(offered({"tickets", "si"}), (Words{"silence", "silences"}));
  EXPECT_EQ(offered({"--config", "o.yaml", "tickets", "un"}), (Words{"unhold", "unsilence"}));
  EXPECT_EQ(offered({"config", ""}), Words{"check"});
  EXPECT_EQ(offered({"plugins", ""}), (Words{"list", "test"}));
  EXPECT_EQ(offered({"cluster", ""}), Words{"status"});
}

TEST(BashCompletion, OffersEveryOptionEachCommandsHelpNames) {
  for (const HelpText& help : every_help()) {
    // `tickets --help` is the usage of every subcommand; each is checked
    // with its own help.
    if (help.args == std::vector<std::string>{"tickets", "--help"}) continue;
    // The words before --help, then "--" under the cursor.
    std::vector<std::string> words(help.args.begin(), help.args.end() - 1);
    words.push_back("--");
    const Words options = offered(words);
    std::string asked;
    for (const auto& word : help.args) asked += word + " ";
    for (const std::string& option : long_options(options_block(help.text))) {
      EXPECT_TRUE(options.contains(option))
          << option << " (in `operator-host " << asked << "`) is not completed";
    }
  }
  EXPECT_EQ(offered({"tickets", "list", "--st"}), Words{"--status"});
  EXPECT_EQ(offered({"tickets", "list", "--status", "open,ac"}), Words{"open,acknowledged"});
  EXPECT_EQ(offered({"--log-level", "w"}), Words{"warning"});
}

TEST(BashCompletion, CompletesFilesAfterConfigDbPluginDirAndFile) {
  TempDir dir;
  write_file(dir / "operator.yaml", "");
  write_file(dir / "other.txt", "");
  fs::create_directory(dir / "packs");
  const std::string base = dir.path().string() + "/";
  EXPECT_EQ(offered({"--config", base + "op"}), Words{base + "operator.yaml"});
  EXPECT_EQ(offered({"-c", base + "op"}), Words{base + "operator.yaml"});
  EXPECT_EQ(offered({"tickets", "list", "--db", base + "ot"}), Words{base + "other.txt"});
  // --db=FILE: readline makes "=" a word of its own.
  EXPECT_EQ(offered({"--db", "=", base + "ot"}), Words{base + "other.txt"});
  EXPECT_EQ(offered({"--plugin-dir", base}), Words{base + "packs"});  // folders only
  EXPECT_EQ(offered({"tickets", "diagnose", "1", "--file", base + "ot"}),
            Words{base + "other.txt"});
}

TEST(BashCompletion, CompletesTicketIdsFromTheDatabaseOnTheLine) {
  // Three tickets the monitor opened; the CLI resolves one.
  HostHarness harness;
  write_file(harness.file("a.cmd"), "violate s1 warning\nviolate s2 warning\nviolate s3 warning\n");
  harness.write_config(
      "targets:\n  - name: a\n    pack: control\n    checks:\n      probe: "
      "{command_file: " +
      harness.file("a.cmd").string() + "}\n");
  const CommandResult once = harness.run_once();
  ASSERT_EQ(once.exit_code, 1) << once.out << once.err;
  std::vector<std::string> ids;
  for (const Json& ticket : harness.cli_tickets()) ids.push_back(std::to_string(int(ticket["id"])));
  ASSERT_EQ(ids.size(), 3u);
  const std::string resolved = ids.front();
  ASSERT_EQ(harness.run({"tickets", "resolve", resolved}).exit_code, 0);
  const Words open(ids.begin() + 1, ids.end());
  const Words all(ids.begin(), ids.end());

  ProcessOptions no_default;  // nothing but the line may name the database
  no_default.unset_env = {"OPERATOR_DB", "XDG_STATE_HOME"};
  no_default.env["HOME"] = harness.file("home").string();
  const std::string config = harness.config_path().string();
  const std::string db = harness.db_path().string();
  // With the config (its database:) or the database on the line, before or
  // after the command's name; ack offers what is not resolved, show all.
  EXPECT_EQ(offered({"--config", config, "tickets", "ack", ""}, no_default), open);
  EXPECT_EQ(offered({"tickets", "hold", "--db", db, ""}, no_default), open);
  EXPECT_EQ(offered({"--db", "=", db, "tickets", "show", ""}, no_default), all);
  EXPECT_EQ(offered({"-c", config, "tickets", "resolve", open.begin()->substr(0, 1)}, no_default),
            [&] {
              Words some;
              for (const auto& id : open) {
                if (id.starts_with(open.begin()->substr(0, 1))) some.insert(id);
              }
              return some;
            }());
  // Silences by theirs.
  ASSERT_EQ(
      harness
          .run({"tickets", "silence", "--target", "a", "--for", "1h", "--comment", "planned work"})
          .exit_code,
      0);
  EXPECT_EQ(offered({"--config", config, "tickets", "unsilence", ""}, no_default), Words{"1"});
  // After the ID, no more IDs; a diagnosis may come from stdin.
  EXPECT_EQ(offered({"--config", config, "tickets", "ack", *open.begin(), ""}, no_default),
            Words{});
  EXPECT_EQ(offered({"--config", config, "tickets", "diagnose", *open.begin(), ""}, no_default),
            Words{"-"});

  // A database that is not there, a config that is not there: no IDs, and
  // not a word on the terminal.
  for (const auto& words : std::vector<std::vector<std::string>>{
           {"--db", harness.file("nothing/here.db").string(), "tickets", "ack", ""},
           {"--config", harness.file("missing.yaml").string(), "tickets", "show", ""}}) {
    const Completion completion = complete(words, no_default);
    EXPECT_EQ(completion.words, Words{}) << words[1];
    EXPECT_EQ(completion.err, "") << words[1];
  }
}

TEST(BashCompletion, CmakeInstallsItWhereBashCompletionLoadsIt) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  const CommandResult result =
      run_command({OPR_TEST_CMAKE, "--install", binary_dir().string(), "--prefix", prefix.string()},
                  {}, std::chrono::seconds(120));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  // bash-completion loads completions/NAME when NAME is first completed.
  const fs::path installed = prefix / OPR_TEST_COMPLETIONS_DIR / "operator-host";
  ASSERT_TRUE(fs::exists(installed)) << installed;
  EXPECT_EQ(read_file(installed), read_file(source_dir() / "completion/operator-host"));
}

}  // namespace
}  // namespace opr::test
