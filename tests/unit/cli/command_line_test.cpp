// The command line read into requests, nothing run: every command and
// option lands where its command expects it, and any malformed word is bad
// usage (exit 2) with a message, never a crash.
#include "cli/command_line.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "test_support.h"

namespace opr::cli {
namespace {

// The UsageError's message for `args`, or "(accepted)".
std::string usage_error(const std::vector<std::string>& args) {
  try {
    parse_command_line(args);
  } catch (const UsageError& e) {
    return e.message;
  }
  return "(accepted)";
}

template <typename Request>
Request parsed(const std::vector<std::string>& args) {
  const CommandLine line = parse_command_line(args);
  const Request* request = std::get_if<Request>(&line.request);
  if (request == nullptr) {
    ADD_FAILURE() << "another request, index " << line.request.index();
    return Request{};
  }
  return *request;
}

TEST(CommandLine, GlobalOptionsGoAnywhereAndTheMonitorNeedsAConfig) {
  const CommandLine line =
      parse_command_line({"tickets", "--db", "t.db", "list", "-c", "op.yaml", "--plugin-dir", "a",
                          "--plugin-dir", "b", "--log-level", "debug"});
  EXPECT_TRUE(std::holds_alternative<TicketsListRequest>(line.request));
  EXPECT_EQ(line.global.database, "t.db");
  EXPECT_EQ(line.global.config, std::filesystem::path("op.yaml"));
  EXPECT_EQ(line.global.plugin_dirs.size(), 2u);
  EXPECT_EQ(line.global.log_level, "debug");
  const CommandLine monitor = parse_command_line({"--config", "op.yaml", "--once"});
  EXPECT_TRUE(std::holds_alternative<MonitorRequest>(monitor.request));
  EXPECT_TRUE(monitor.global.once);
}

// A plugin's command line is known even when it does not parse: its usage
// errors are UNKNOWN (3), not 2.
TEST(CommandLine, AsksOnceReadsTheWordsAsTheParserWould) {
  EXPECT_TRUE(asks_once({"--once", "--bogus"}));
  EXPECT_TRUE(asks_once({"-c", "op.yaml", "--log-level", "verbose", "--once"}));
  EXPECT_FALSE(asks_once({"-c", "op.yaml", "--bogus"}));
  EXPECT_FALSE(asks_once({"tickets", "diagnose", "1", "--", "--once"}));
  EXPECT_FALSE(asks_once({"--once=yes"}));
  EXPECT_THROW(parse_command_line({"--once", "--bogus"}), UsageError);
  // --json likewise: a usage error is JSON when the words ask for it.
  EXPECT_TRUE(asks_json({"tickets", "ack", "--bogus", "--json"}));
  EXPECT_FALSE(asks_json({"tickets", "note", "1", "--", "--json"}));
}

// --json is an option of every command, before or after its name; the
// monitor takes it only with --once (it prints nothing but its log).
TEST(CommandLine, JsonIsAnOptionOfEveryCommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--json", "tickets", "list"},
           {"tickets", "ack", "1", "--json"},
           {"tickets", "diagnose", "1", "--text", "x", "--json"},
           {"tickets", "note", "1", "--json", "--text", "x"},
           {"tickets", "resolve", "1", "--json"},
           {"tickets", "hold", "1", "--json"},
           {"tickets", "unhold", "1", "--json"},
           {"tickets", "show", "1", "--json"},
           {"tickets", "silences", "--json"},
           {"tickets", "unsilence", "1", "--json"},
           {"tickets", "silence", "--target", "t", "--for", "1h", "--comment", "c", "--json"},
           {"config", "check", "--config", "x.yaml", "--json"},
           {"plugins", "list", "--json"},
           {"--config", "x.yaml", "--once", "--json"},
           {"--version", "--json"}}) {
    EXPECT_TRUE(parse_command_line(args).global.json) << args.front() << " " << args[1];
  }
  EXPECT_FALSE(parse_command_line({"tickets", "list"}).global.json);
  EXPECT_EQ(
      usage_error({"--config", "x.yaml", "--json"}).rfind("--json prints what --once found", 0),
      0u);
}

// One shape for every command's usage errors: what is wrong, then where its
// usage is.
TEST(CommandLine, UsageErrorsPointAtTheCommandsHelp) {
  const struct {
    std::vector<std::string> args;
    std::string message;
  } cases[] = {
      {{"--bogus"}, "unknown option '--bogus'; see 'operator-host --help'"},
      {{"--once", "--config", "x", "--bogus"},
       "unknown option '--bogus'; see 'operator-host --help'"},
      {{"tickets", "ack", "1", "--bogus"},
       "tickets ack: unknown option '--bogus'; see 'operator-host tickets ack --help'"},
      {{"tickets", "list", "--bogus"},
       "tickets list: unknown option '--bogus'; see 'operator-host tickets list --help'"},
      {{"config", "check", "--bogus", "-c", "x"},
       "config check: unknown option '--bogus'; see 'operator-host config check --help'"},
      {{"plugins", "list", "--bogus"},
       "plugins list: unknown option '--bogus'; see 'operator-host plugins list --help'"},
      {{"plugins", "list", "extra"},
       "plugins list: unexpected argument 'extra'; see 'operator-host plugins list --help'"},
      {{"tickets", "frobnicate"},
       "tickets: unknown command 'frobnicate' (list, watch, show, ack, diagnose, note, resolve, "
       "hold, "
       "unhold, silence, silences or unsilence); see 'operator-host tickets --help'"},
      {{"config"}, "config: missing subcommand (check); see 'operator-host config --help'"},
      {{"frobnicate"}, "unknown command 'frobnicate'; see 'operator-host --help'"},
  };
  for (const auto& c : cases) EXPECT_EQ(usage_error(c.args), c.message);
}

TEST(CommandLine, EachCommandsWordsBecomeItsRequest) {
  const auto list =
      parsed<TicketsListRequest>({"tickets", "list", "--status", "open,resolved", "--target", "t",
                                  "--check", "c", "--all", "--limit", "5"});
  EXPECT_EQ(list.filter.statuses.size(), 2u);
  EXPECT_EQ(list.filter.target, "t");
  EXPECT_EQ(list.filter.check, "c");
  EXPECT_TRUE(list.filter.include_resolved);
  EXPECT_EQ(list.filter.limit, 5);
  EXPECT_EQ(list.filter.sort, tickets::ListSort::id);  // the default: newest first
  EXPECT_FALSE(list.filter.min_severity || list.filter.subject || list.filter.offset);
  EXPECT_FALSE(list.since_ago || list.since);
  EXPECT_EQ(parsed<TicketShowRequest>({"tickets", "show", "7", "--json"}).id, 7);
  const auto ack = parsed<TicketChangeRequest>({"tickets", "ack", "3", "--note", "on it"});
  EXPECT_EQ(ack.action, "ack");
  EXPECT_EQ(ack.id, 3);
  EXPECT_EQ(ack.note, "on it");
  EXPECT_FALSE(ack.expire.has_value());
  EXPECT_EQ(ack.actor, "");
  const auto ack_until =
      parsed<TicketChangeRequest>({"tickets", "ack", "3", "--expire", "4h", "--actor", "alice"});
  EXPECT_EQ(ack_until.expire, std::chrono::hours(4));
  EXPECT_EQ(ack_until.actor, "alice");
  const auto note = parsed<TicketNoteRequest>({"tickets", "note", "5", "--text", "pm"});
  EXPECT_EQ(note.id, 5);
  EXPECT_EQ(note.text, "pm");
  EXPECT_EQ(parsed<UnsilenceRequest>({"tickets", "unsilence", "4", "--actor", "bob"}).actor, "bob");
  const auto file = parsed<TicketDiagnoseRequest>({"tickets", "diagnose", "2", "--file", "x"});
  EXPECT_EQ(file.source, TicketDiagnoseRequest::Source::file);
  EXPECT_EQ(file.text, "x");
  EXPECT_EQ(parsed<TicketDiagnoseRequest>({"tickets", "diagnose", "2", "-"}).source,
            TicketDiagnoseRequest::Source::standard_input);
  const auto silence =
      parsed<SilenceRequest>({"tickets", "silence", "--target", "prod", "--subject", "4", "--for",
                              "2h", "--comment", "decommission"});
  EXPECT_EQ(silence.target, "prod");
  EXPECT_FALSE(silence.check.has_value());
  EXPECT_EQ(silence.subject, "4");
  EXPECT_EQ(silence.duration, std::chrono::hours(2));
  EXPECT_EQ(silence.comment, "decommission");
  const auto until =
      parsed<SilenceRequest>({"tickets", "silence", "--target", "prod", "--check", "latency",
                              "--until", "2030-01-02T03:04:05Z", "--comment", "x"});
  EXPECT_EQ(until.check, "latency");
  EXPECT_EQ(until.until, parse_utc("2030-01-02T03:04:05.000Z"));
  EXPECT_TRUE(parsed<SilencesListRequest>({"tickets", "silences", "--all"}).include_expired);
  EXPECT_EQ(parsed<UnsilenceRequest>({"tickets", "unsilence", "4"}).id, 4);
  parsed<PluginsListRequest>({"plugins", "list"});
  parsed<ConfigCheckRequest>({"config", "check", "--config", "x.yaml"});
}

TEST(CommandLine, HelpAndVersionAreTextToPrint) {
  EXPECT_NE(parsed<ShowText>({"--help"}).text.find("Usage:"), std::string::npos);
  parsed<ShowVersion>({"--version"});
  parsed<ShowVersion>({"-V"});
  EXPECT_EQ(version_text(false).rfind("operator-host ", 0), 0u);
  EXPECT_EQ(version_text(true).rfind(R"({"version": ")", 0), 0u);
  EXPECT_NE(parsed<ShowText>({"tickets", "list", "--help"}).text.find("--status"),
            std::string::npos);
  EXPECT_NE(parsed<ShowText>({"config", "--help"}).text.find("config check"), std::string::npos);
  EXPECT_NE(parsed<ShowText>({"plugins", "list", "-h"}).text.find("plugins list"),
            std::string::npos);
}

TEST(CommandLine, MalformedWordsAreUsageErrorsThatSayWhatIsWrong) {
  const std::string invalid_utf8 = "; a ticket's note or diagnosis must be UTF-8 text";
  const struct {
    std::vector<std::string> args;
    std::string message_start;
  } cases[] = {
      {{}, "give --config FILE to run the monitor, or a command"},
      {{""}, "unknown command ''"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      // A quoted word is shown on one line, its control characters escaped.
      {{"x\x1b[2J\nFAKE"}, R"(unknown command 'x\x1b[2J\nFAKE')"},
      {{"tickets", "list", "--status",
        "\x9b"
        "1m"},
       R"(tickets list: unknown status '\x9b1m')"},
      {{"tickets", "list", "--limit", "\a"},
       R"(tickets list: the argument ('\x07') for option '--limit' is invalid)"},
      {{"--config"}, "the required argument for option '--config' is missing"},
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"config", "check"}, "config check: --config FILE is required"},
      {{"config", "check", "--jsn", "--config", "x"}, "config check: unknown option '--jsn'"},
      {{"config"}, "config: missing subcommand"},
      {{"plugins", "remove"}, "plugins: unknown subcommand 'remove'"},
      {{"tickets"}, "tickets: missing subcommand (list, watch, show, "},
      {{"tickets", "show"}, "tickets show: which ticket? give its ID"},
      {{"tickets", "show", "0"}, "tickets show: a ticket ID is a positive number, not '0'"},
      {{"tickets", "show", "99999999999999999999"},
       "tickets show: a ticket ID is a positive number, not '99999999999999999999'"},
      {{"tickets", "show", "1x"}, "tickets show: a ticket ID is a positive number, not '1x'"},
      {{"tickets", "show", "1", "2"}, "tickets show: too many positional options"},
      {{"tickets", "list", "--limit", "99999999999999"},
       "tickets list: the argument ('99999999999999') for option '--limit' is invalid"},
      {{"tickets", "list", "--limit", "-1"}, "tickets list: --limit takes a positive number"},
      {{"tickets", "list", "--status", "closed"}, "tickets list: unknown status 'closed'"},
      {{"tickets", "list", "--severity", "major"},
       "tickets list: --severity takes info, warning or critical, not 'major'"},
      {{"tickets", "list", "--since", "yesterday"},
       "tickets list: --since takes a duration such as 4h or a time such as"},
      {{"tickets", "list", "--sort", "age"},
       "tickets list: --sort takes id, first-seen, last-seen or severity, not 'age'"},
      {{"tickets", "list", "--offset", "-1"}, "tickets list: --offset takes a number, 0 or more"},
      {{"tickets", "watch", "--interval", "0s"}, "tickets watch: --interval takes a duration"},
      {{"tickets", "watch", "--json"}, "tickets watch: --json is not offered"},
      {{"--color", "yes", "tickets", "list"}, "--color takes never, auto or always"},
      {{"tickets", "list", "--target"}, "tickets list: the required argument for option"},
      {{"tickets", "diagnose", "1"}, "tickets diagnose: give exactly one of"},
      {{"tickets", "note", "1"}, "tickets note: give exactly one of"},
      {{"tickets", "ack", "1", "--expire", "0s"}, "tickets ack: --expire takes a duration"},
      {{"tickets", "resolve", "1", "--expire", "4h"}, "tickets resolve: unknown option"},
      {{"tickets", "hold", "1", "--actor", " "}, "tickets hold: --actor takes a name"},
      {{"tickets", "diagnose", "1", "--text", std::string("a\0b", 3)},
       "tickets diagnose: --text has a NUL byte at byte 1" + invalid_utf8},
      {{"tickets", "diagnose", "1", "--text", "\xed\xa0\x80"},  // a UTF-16 surrogate
       "tickets diagnose: --text is not valid UTF-8 (at byte 0)" + invalid_utf8},
      {{"tickets", "diagnose", "1", "--text", std::string(kMaxTicketText + 1, 'x')},
       "tickets diagnose: --text is longer than 1 MiB"},
      {{"tickets", "silence", "--for", "1h", "--comment", "x"},
       "tickets silence: which target? give --target T"},
      {{"tickets", "silence", "--target", "a", "--comment", "x"},
       "tickets silence: give exactly one of --for DURATION or --until TIME"},
      {{"tickets", "silence", "--target", "a", "--for", "soon", "--comment", "x"},
       "tickets silence: --for takes a duration such as 2h or 30m, not 'soon'"},
      {{"tickets", "silence", "--target", "a", "--until", "2030-13-01T00:00:00Z", "--comment", "x"},
       "tickets silence: --until takes a time such as"},
      {{"tickets", "silence", "--target", "a", "--for", "1h", "--comment", " "},
       "tickets silence: say why with --comment TEXT"},
      {{"tickets", "unsilence"}, "tickets unsilence: which silence? give its ID"},
      {{"tickets", "unsilence", "x"}, "tickets unsilence: a silence ID is a positive number"},
      {{"tickets", "hold", "1", "--note", "\xf4\x90\x80\x80"},  // past U+10FFFF
       "tickets hold: --note is not valid UTF-8 (at byte 0)" + invalid_utf8},
  };
  for (const auto& c : cases) {
    const std::string message = usage_error(c.args);
    EXPECT_EQ(message.rfind(c.message_start, 0), 0u)
        << (c.args.empty() ? "(no words)" : c.args[0]) << ": " << message.substr(0, 200);
  }
}

TEST(CommandLine, WordsThatLookLikeTheParsersPlaceholdersAreQuotedAsTheyAre) {
  // Found by fuzz_cli (corpus/cli/timeout-placeholder-in-a-value): Boost
  // replaced %value% by a value holding "%value%" until none was left, and
  // `tickets list --limit %value%` hung.
  const std::string see_list = "; see 'operator-host tickets list --help'";
  EXPECT_EQ(usage_error({"tickets", "list", "--limit", "%value%"}),
            "tickets list: the argument ('%value%') for option '--limit' is invalid" + see_list);
  EXPECT_EQ(usage_error({"tickets", "list", "--%canonical_option%"}),
            "tickets list: unknown option '--%canonical_option%'" + see_list);
  EXPECT_EQ(usage_error({"tickets", "show", "1", "--json=%prefix%%option%"}),
            "option '--json' does not take any arguments; see 'operator-host --help'");
  EXPECT_EQ(usage_error({"--config=%original_token%", "-c", "x"}),
            "option '--config' cannot be specified more than once; see 'operator-host --help'");
  EXPECT_EQ(usage_error({"tickets", "list", "--limit", "50%"}),
            "tickets list: the argument ('50%') for option '--limit' is invalid" + see_list);
}

TEST(CommandLine, StrangeButValidTextIsKept) {
  // Control characters are text: printing escapes them, storage keeps them.
  const auto ack = parsed<TicketChangeRequest>({"tickets", "ack", "1", "--note", "\x1b[2J ok ✓"});
  EXPECT_EQ(ack.note, "\x1b[2J ok ✓");
  EXPECT_EQ(parsed<TicketChangeRequest>({"tickets", "ack", "1", "--note", ""}).note, "");
}

TEST(CommandLine, TheHostExitsTwoWithAMessageForBadWords) {
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{"--config"},
           {"tickets", "list", "--limit", "1e9"},
           {"tickets", "list", "--limit", "%value%"},
           {"tickets", "list", "--%canonical_option%"},
           {"tickets", "show", "\xff\xfe"},
           {"tickets", "ack", "1", "--note", "\xc3"},
           {"", "", ""},
           {std::string(100'000, '-')},
       }) {
    const auto result = opr::test::run_operator_host(args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(result.err.rfind("operator-host: ", 0), 0u) << result.err.substr(0, 200);
    EXPECT_EQ(result.out, "");
  }
}

TEST(CommandLine, TicketsListFiltersSortAndPaging) {
  const auto list = parsed<TicketsListRequest>({"tickets", "list", "--severity", "warning",
                                                "--subject", "3", "--since", "4h", "--sort",
                                                "last-seen", "--limit", "10", "--offset", "20"});
  EXPECT_EQ(list.filter.min_severity, Severity::warning);
  EXPECT_EQ(list.filter.subject, "3");
  EXPECT_EQ(list.since_ago, std::chrono::hours(4));
  EXPECT_EQ(list.filter.sort, tickets::ListSort::last_seen);
  EXPECT_EQ(list.filter.limit, 10);
  EXPECT_EQ(list.filter.offset, 20);
  const auto at = parsed<TicketsListRequest>(
      {"tickets", "list", "--since", "2026-11-26T18:00:00Z", "--sort", "severity"});
  EXPECT_EQ(at.since, parse_utc("2026-11-26T18:00:00Z"));
  EXPECT_EQ(at.filter.sort, tickets::ListSort::severity);
  EXPECT_EQ(parsed<TicketsListRequest>({"tickets", "list", "--sort", "first-seen"}).filter.sort,
            tickets::ListSort::first_seen);
}

TEST(CommandLine, TicketsWatchTakesTheListFiltersAndAnInterval) {
  const auto watch = parsed<TicketsWatchRequest>(
      {"tickets", "watch", "--severity", "critical", "--interval", "500ms"});
  EXPECT_EQ(watch.list.filter.min_severity, Severity::critical);
  EXPECT_EQ(watch.interval, std::chrono::milliseconds(500));
  EXPECT_EQ(parsed<TicketsWatchRequest>({"tickets", "watch"}).interval, std::chrono::seconds(2));
}

TEST(CommandLine, ColorIsAGlobalOption) {
  EXPECT_EQ(parse_command_line({"tickets", "list"}).global.color, ColorMode::automatic);
  EXPECT_EQ(parse_command_line({"--color", "never", "tickets", "list"}).global.color,
            ColorMode::never);
  EXPECT_EQ(parse_command_line({"tickets", "list", "--color", "always"}).global.color,
            ColorMode::always);
}

TEST(CommandLine, PluginsTestTakesFilesAndRecordGoesWithOnce) {
  const auto test = parsed<PluginsTestRequest>({"plugins", "test", "a.yaml", "b.yaml"});
  ASSERT_EQ(test.files.size(), 2u);
  EXPECT_EQ(test.files[1], "b.yaml");
  EXPECT_EQ(usage_error({"plugins", "test"}),
            "plugins test: give at least one test FILE; see 'operator-host plugins test --help'");
  EXPECT_EQ(usage_error({"plugins", "test", "--bogus", "a.yaml"}),
            "plugins test: unknown option '--bogus'; see 'operator-host plugins test --help'");

  const CommandLine line = parse_command_line({"--config", "c.yaml", "--once", "--record", "d"});
  EXPECT_TRUE(std::holds_alternative<MonitorRequest>(line.request));
  EXPECT_EQ(line.global.record, std::filesystem::path("d"));
  EXPECT_EQ(usage_error({"--config", "c.yaml", "--record", "d"}),
            "--record DIR goes with --once; see 'operator-host --help'");
}

}  // namespace
}  // namespace opr::cli
