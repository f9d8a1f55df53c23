// `operator-host tickets ...` as a person on call runs it, against a real
// SQLite file written by other processes.
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "test_support.h"
#include "tickets/ticket_store.h"
#include "tickets_cli_fixture.h"

namespace {

using nlohmann::json;
using opr::test::CommandResult;
using opr::test::ProcessOptions;

using opr::test::TicketsCli;

const std::regex kIsoTime(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

TEST_F(TicketsCli, AnEmptyDatabaseListsNoTickets) {
  auto result = tickets({"list"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "no open tickets\n");
  result = tickets({"list", "--json"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(json::parse(result.out), json::array());
}

TEST_F(TicketsCli, TheNewDatabaseFileIsPrivate) {
  ASSERT_EQ(tickets({"list"}).exit_code, 0);
  struct stat info {};
  ASSERT_EQ(::stat(db().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(TicketsCli, ListJsonCarriesEveryField) {
  seed("tikv", "store_up", {"4"});
  const json list = json_of({"list", "--json"});
  ASSERT_EQ(list.size(), 1u);
  // Every key, each checked below; their order is checked by tests/unit/cli
  // (this json sorts keys).
  json ticket = list[0];
  ASSERT_EQ(ticket.size(), 28u) << ticket;
  EXPECT_TRUE(ticket["id"].is_number_integer());
  EXPECT_EQ(ticket["violation_key"], "tikv/store_up/4");
  EXPECT_EQ(ticket["target"], "tikv");
  EXPECT_EQ(ticket["check"], "store_up");
  EXPECT_EQ(ticket["subject"], "4");
  EXPECT_EQ(ticket["status"], "open");
  EXPECT_EQ(ticket["held"], false);
  EXPECT_EQ(ticket["flapping"], false);
  EXPECT_EQ(ticket["severity"], "critical");
  EXPECT_EQ(ticket["message"], "violation on 4");
  EXPECT_EQ(ticket["batch_key"], "tikv@seed");
  EXPECT_EQ(ticket["occurrence_count"], 1);
  EXPECT_EQ(ticket["unknown"], false);
  for (const char* key :
       {"resolved_at", "diagnosis", "unknown_since", "unknown_at", "unknown_reason",
        "acknowledged_until", "silenced_by", "blocked_by", "blocked_cause"}) {
    EXPECT_TRUE(ticket.contains(key) && ticket[key].is_null()) << key;
  }
  EXPECT_EQ(ticket["flags"], json::array());
  EXPECT_EQ(ticket["metric_snapshot"], json::parse(R"({"subject":"4","value":42.5})"));
  for (const char* key : {"first_seen_at", "last_seen_at", "created_at", "updated_at"}) {
    EXPECT_TRUE(std::regex_match(ticket[key].get<std::string>(), kIsoTime)) << ticket[key];
  }
}

// The monitor could not see store 3 (its metrics vanished): its ticket is
// neither a live problem nor a healed one, and every view says so.
TEST_F(TicketsCli, ATicketWhoseSubjectIsUnknownIsMarkedInEveryView) {
  seed("tikv", "disk_space", {"3=store 3 disk 95% used", "4"});
  const std::vector<std::string> argv{
      OPR_TICKETS_WRITER, db(), "unknown", "tikv", "disk_space", "3=store 3 is Disconnected"};
  const auto blind = opr::test::run_command(argv);
  ASSERT_EQ(blind.exit_code, 0) << blind.err;

  auto result = tickets({"list"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("\n 1  open    "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("  unknown  store 3 disk 95% used"), std::string::npos) << result.out;
  // The same run saw store 4 healthy.
  EXPECT_EQ(json_of({"show", "2", "--json"})["status"], "resolved");
  result = tickets({"show", "1"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const char* text : {"ticket 1: open, unknown\n", "\nunknown since   ", "\nlast unknown    ",
                           "\nunknown reason  store 3 is Disconnected\n", "monitor  unknown",
                           "store 3 is Disconnected\n"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << text << "\n" << result.out;
  }
  const json shown = json_of({"show", "1", "--json"});
  EXPECT_EQ(shown["status"], "open");
  EXPECT_EQ(shown["unknown"], true);
  EXPECT_TRUE(std::regex_match(shown["unknown_since"].get<std::string>(), kIsoTime));
  EXPECT_TRUE(std::regex_match(shown["unknown_at"].get<std::string>(), kIsoTime));
  EXPECT_EQ(shown["unknown_reason"], "store 3 is Disconnected");
  EXPECT_EQ(shown["events"].back()["event"], "unknown");
  EXPECT_EQ(shown["events"].back()["status"], "open");
}

TEST_F(TicketsCli, ChangesMadeByOneProcessAreSeenByTheNext) {
  seed("tikv", "store_up", {"4"});
  const int64_t id = json_of({"list", "--json"})[0]["id"];
  const std::string ticket = std::to_string(id);

  auto result = tickets({"ack", ticket, "--note", "looking at it"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ticket " + ticket + " is acknowledged\n");
  EXPECT_EQ(tickets({"hold", ticket}).exit_code, 0);
  EXPECT_EQ(tickets({"diagnose", ticket, "--text", "disk failed on tikv-3"}).exit_code, 0);
  result = tickets({"resolve", ticket, "--note", "disk replaced"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ticket " + ticket + " is resolved (hold released)\n");

  const json shown = json_of({"show", ticket, "--json"});
  EXPECT_EQ(shown["status"], "resolved");
  EXPECT_EQ(shown["held"], false);
  EXPECT_EQ(shown["diagnosis"], "disk failed on tikv-3");
  EXPECT_TRUE(std::regex_match(shown["resolved_at"].get<std::string>(), kIsoTime));
  const json& events = shown["events"];
  ASSERT_EQ(events.size(), 6u);
  const std::string me = opr::tickets::current_user_name();
  // Holds are flags: their events name the status they left as it was,
  // never "from -> to".
  const std::vector<std::pair<std::string, json>> path{
      {"opened", {{"from", ""}, {"to", "open"}}},
      {"acknowledged", {{"from", "open"}, {"to", "acknowledged"}}},
      {"hold", {{"status", "acknowledged"}}},
      {"diagnosed", {{"from", "acknowledged"}, {"to", "diagnosed"}}},
      {"unhold", {{"status", "diagnosed"}}},
      {"resolved", {{"from", "diagnosed"}, {"to", "resolved"}}}};
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i]["event"], path[i].first) << i;
    for (const auto& [key, value] : path[i].second.items()) EXPECT_EQ(events[i][key], value) << i;
    EXPECT_EQ(events[i].contains("to"), path[i].second.contains("to")) << i;
    EXPECT_EQ(events[i]["actor"], i == 0 ? "monitor" : me) << i;
    EXPECT_TRUE(std::regex_match(events[i]["at"].get<std::string>(), kIsoTime));
    EXPECT_TRUE(events[i]["note"].is_string());
  }
  EXPECT_EQ(events[1]["note"], "looking at it");
  EXPECT_EQ(events[5]["note"], "disk replaced");

  // Resolved tickets leave the default list, and come back with --all.
  EXPECT_EQ(tickets({"list"}).out, "no open tickets\n");
  EXPECT_EQ(json_of({"list", "--all", "--json"}).size(), 1u);
}

TEST_F(TicketsCli, ShowPrintsFieldsSnapshotDiagnosisAndTimeline) {
  seed("tikv", "store_up", {"4"});
  const std::string id = std::to_string(json_of({"list", "--json"})[0]["id"].get<int64_t>());
  ProcessOptions input;
  input.stdin_text = "line one\nline two\n";
  ASSERT_EQ(tickets({"diagnose", id, "-"}, input).exit_code, 0);
  const auto result = tickets({"show", id});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  for (const char* text :
       {"ticket 1: diagnosed", "violation key   tikv/store_up/4", "severity        critical",
        "  \"value\": 42.5", "diagnosis\n  line one\n  line two\n", "monitor", "open -> diagnosed",
        "diagnosis: line one"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << text << "\n" << result.out;
  }
}

TEST_F(TicketsCli, DiagnosisFromAFile) {
  seed("tikv", "store_up", {"4"});
  opr::test::write_file(dir_ / "rca.md", "# Root cause\nthe disk\n");
  ASSERT_EQ(tickets({"diagnose", "1", "--file", (dir_ / "rca.md").string()}).exit_code, 0);
  EXPECT_EQ(json_of({"show", "1", "--json"})["diagnosis"], "# Root cause\nthe disk");
}

TEST_F(TicketsCli, ADiagnosisThatIsNotTextIsRefusedWholeNotTruncated) {
  seed("tikv", "store_up", {"4"});
  const json before = json_of({"show", "1", "--json"});
  const std::string nul_file = (dir_ / "nul.md").string();
  opr::test::write_file(nul_file, std::string("disk\0full\n", 10));
  const std::string latin1_file = (dir_ / "latin1.md").string();
  opr::test::write_file(latin1_file, "caf\xe9 au lait\n");
  ProcessOptions nul_stdin;
  nul_stdin.stdin_text = std::string("a\0b", 3);
  ProcessOptions overlong_stdin;
  overlong_stdin.stdin_text = "slash \xc0\xaf";  // an overlong '/'
  struct Case {
    std::vector<std::string> args;
    ProcessOptions options;
    int exit_code;
    std::string err;
  };
  const std::string suffix = "; a ticket's note or diagnosis must be UTF-8 text\n";
  // Bad usage ends in where the command's usage is.
  const std::string usage_suffix =
      "; a ticket's note or diagnosis must be UTF-8 text; see 'operator-host tickets ";
  const std::vector<Case> cases = {
      {{"diagnose", "1", "--file", nul_file},
       {},
       1,
       "operator-host: tickets diagnose: " + nul_file + " has a NUL byte at byte 4" + suffix},
      {{"diagnose", "1", "--file", latin1_file},
       {},
       1,
       "operator-host: tickets diagnose: " + latin1_file + " is not valid UTF-8 (at byte 3)" +
           suffix},
      {{"diagnose", "1", "-"},
       nul_stdin,
       1,
       "operator-host: tickets diagnose: standard input has a NUL byte at byte 1" + suffix},
      {{"diagnose", "1", "-"},
       overlong_stdin,
       1,
       "operator-host: tickets diagnose: standard input is not valid UTF-8 (at byte 6)" + suffix},
      {{"diagnose", "1", "--file", "/dev/zero"},
       {},
       1,
       "operator-host: tickets diagnose: /dev/zero is longer than 1 MiB, the most a ticket's "
       "note or diagnosis may hold\n"},
      // Arguments cannot hold a NUL, but may hold any other byte: bad usage.
      {{"diagnose", "1", "--text", "caf\xe9"},
       {},
       2,
       "operator-host: tickets diagnose: --text is not valid UTF-8 (at byte 3)" + usage_suffix +
           "diagnose --help'\n"},
      {{"ack", "1", "--note", "\xff"},
       {},
       2,
       "operator-host: tickets ack: --note is not valid UTF-8 (at byte 0)" + usage_suffix +
           "ack --help'\n"},
  };
  for (const Case& c : cases) {
    const auto result = tickets(c.args, c.options);
    EXPECT_EQ(result.exit_code, c.exit_code) << c.args[2] << " " << result.err;
    EXPECT_EQ(result.err, c.err);
    EXPECT_EQ(result.out, "");
  }
  // Nothing was written: the ticket is as it was, without a diagnosis.
  EXPECT_EQ(json_of({"show", "1", "--json"}), before);
  EXPECT_TRUE(before["diagnosis"].is_null()) << before["diagnosis"];
}

TEST_F(TicketsCli, ListTableIsAlignedAndFitsColumns) {
  seed("tikv", "store_up",
       {"1=store 1 is Down: no heartbeat for 20 minutes, its regions are moving away", "2", "33"});
  seed("pd", "leader", {"cluster=no leader elected for 30s"});
  ASSERT_EQ(tickets({"hold", "1"}).exit_code, 0);
  ProcessOptions narrow;
  narrow.env["COLUMNS"] = "90";
  const auto result = tickets({"list"}, narrow);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  ASSERT_EQ(rows.size(), 5u) << result.out;
  EXPECT_EQ(
      rows[0].rfind("ID  STATUS  SEV   TARGET  CHECK     SUBJECT  COUNT  FIRST SEEN  FLAGS", 0), 0u)
      << rows[0];
  // Newest first; the message starts at the same place on every line.
  EXPECT_EQ(rows[1].rfind(" 4  open    crit  pd      leader    cluster", 0), 0u) << result.out;
  const size_t message = rows[0].find("MESSAGE");
  EXPECT_EQ(rows[1].find("no leader"), message) << result.out;
  EXPECT_EQ(rows[3].find("violation"), message) << result.out;
  for (const auto& row : rows) EXPECT_LE(row.size(), 90u) << row;
  // Ticket 1 is held and its message is cut to fit.
  EXPECT_NE(rows[4].find(" held   store 1 is"), std::string::npos) << rows[4];
  EXPECT_EQ(rows[4].substr(rows[4].size() - 3), "...") << rows[4];
  EXPECT_EQ(rows[4].size(), 90u) << rows[4];
}

TEST_F(TicketsCli, ColumnsSetsTheWidth) {
  seed("tikv", "store_up", {"1=store 1 is Down: no heartbeat for 20 minutes, regions moving"});
  ProcessOptions wide;
  wide.env["COLUMNS"] = "200";
  const auto result = tickets({"list"}, wide);
  EXPECT_NE(result.out.find("regions moving\n"), std::string::npos) << result.out;
}

TEST_F(TicketsCli, ListFilters) {
  seed("tikv", "store_up", {"1", "2"});
  seed("pd", "leader", {"x"});
  ASSERT_EQ(tickets({"ack", "2"}).exit_code, 0);
  EXPECT_EQ(ids_of({"list"}), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(ids_of({"list", "--status", "acknowledged"}), (std::vector<int64_t>{2}));
  EXPECT_EQ(ids_of({"list", "--status", "open,acknowledged", "--target", "tikv"}),
            (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(ids_of({"list", "--check", "leader"}), (std::vector<int64_t>{3}));
  EXPECT_EQ(ids_of({"list", "--limit", "1"}), (std::vector<int64_t>{3}));
  EXPECT_EQ(tickets({"list", "--status", "resolved"}).out, "no tickets\n");
}

TEST_F(TicketsCli, RefusedChangesExitOneWithTheReason) {
  seed("tikv", "store_up", {"1"});
  ASSERT_EQ(tickets({"ack", "1"}).exit_code, 0);
  auto result = tickets({"ack", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err,
            "operator-host: ticket 1 is acknowledged; it can go to diagnosed or resolved\n");
  result = tickets({"unhold", "1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "operator-host: ticket 1 is not held\n");
  ASSERT_EQ(tickets({"resolve", "1"}).exit_code, 0);
  result = tickets({"hold", "1", "--note", "too late"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "operator-host: ticket 1 is resolved; resolved is final\n");
}

TEST_F(TicketsCli, UnknownTicketsExitOne) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"show", "99"}, {"ack", "99"}, {"diagnose", "99", "--text", "x"}}) {
    const auto result = tickets(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_EQ(result.err, "operator-host: no ticket 99\n");
    EXPECT_EQ(result.out, "");
  }
  // With --json, the same error as JSON.
  const auto json = tickets({"show", "99", "--json"});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_EQ(json.err, R"({"error":"no ticket 99","exit_code":1})"
                      "\n");
  EXPECT_EQ(json.out, "");
}

TEST_F(TicketsCli, BadUsageExitsTwo) {
  for (const std::vector<std::string>& args : {
           std::vector<std::string>{},
           {"frobnicate"},
           {"show"},
           {"show", "abc"},
           {"ack", "-3"},
           {"list", "--status", "closed"},
           {"list", "--limit", "0"},
           {"list", "--limit", "many"},
           {"list", "--color"},
           {"diagnose", "1"},
           {"diagnose", "1", "--text", "a", "--file", "b"},
           {"diagnose", "1", "maybe"},
       }) {
    const auto result = tickets(args);
    EXPECT_EQ(result.exit_code, 2) << (args.empty() ? "" : args[0]) << " " << result.err;
    EXPECT_NE(result.err, "");
  }
}

TEST_F(TicketsCli, HelpExitsZero) {
  const auto result = tickets({"list", "--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("--status"), std::string::npos);
}

TEST_F(TicketsCli, DatabaseFromTheConfigEnvironmentOrStateFolder) {
  seed("tikv", "store_up", {"1"});
  // The config's database key, and nothing else of the config, is read.
  opr::test::write_file(dir_ / "operator.yaml", "database: tickets.db\n");
  auto result = host({"--config", (dir_ / "operator.yaml").string(), "tickets", "list", "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out).size(), 1u);

  ProcessOptions from_env;
  from_env.env["OPERATOR_DB"] = "sqlite3://db=" + db();
  const std::vector<std::string> args{"tickets", "list", "--json"};
  result = opr::test::run_operator_host(args, from_env);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out).size(), 1u);

  ProcessOptions from_state;
  from_state.env["XDG_STATE_HOME"] = (dir_ / "state").string();
  from_state.unset_env = {"OPERATOR_DB"};
  result = opr::test::run_operator_host(args, from_state);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "[]\n");
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "state/operator/tickets.db").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

// On the service's machine, a bare `tickets list` reads the service's
// database through the installed config ($OPERATOR_CONFIG stands in for
// /etc/operator/operator.yaml here), never an empty one of the caller's.
TEST_F(TicketsCli, WithoutConfigOrDbTheInstalledConfigNamesTheDatabase) {
  seed("tikv", "store_up", {"1"});
  opr::test::write_file(dir_ / "installed.yaml", "database: tickets.db\n");
  ProcessOptions installed;
  installed.env["OPERATOR_CONFIG"] = (dir_ / "installed.yaml").string();
  installed.env["XDG_STATE_HOME"] = (dir_ / "state").string();
  installed.unset_env = {"OPERATOR_DB"};
  const std::vector<std::string> args{"tickets", "list", "--json"};
  auto result = opr::test::run_operator_host(args, installed);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out).size(), 1u) << result.out;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "state/operator/tickets.db"));

  // One it cannot read is an error that says why it was read, never a
  // quiet switch to another database.
  installed.env["OPERATOR_CONFIG"] = (dir_ / "missing.yaml").string();
  result = opr::test::run_operator_host(args, installed);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(opr::test::contains(result.err, (dir_ / "missing.yaml").string())) << result.err;
  EXPECT_TRUE(opr::test::contains(result.err, "neither --config nor --db was given")) << result.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "state/operator/tickets.db"));

  // --db wins, and so does $OPERATOR_DB over the installed config.
  result = opr::test::run_operator_host({"--db", db(), "tickets", "list", "--json"}, installed);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  installed.env.erase("OPERATOR_CONFIG");
  installed.unset_env.push_back("OPERATOR_CONFIG");
  installed.env["OPERATOR_DB"] = db();
  result = opr::test::run_operator_host(args, installed);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json::parse(result.out).size(), 1u) << result.out;
}

TEST_F(TicketsCli, ADatabaseFromANewerOperatorHostIsRefused) {
  const int newer = opr::tickets::TicketStore::kSchemaVersion + 1;
  {
    soci::session sql(*soci::factory_sqlite3(), "db=" + db());
    sql << "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";
    sql << "INSERT INTO schema_version (version, applied_at) VALUES (:v, 0)", soci::use(newer);
  }
  const auto result = tickets({"list"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "operator-host: database " + db() + " has schema version " +
                            std::to_string(newer) + ", this operator-host supports up to " +
                            std::to_string(opr::tickets::TicketStore::kSchemaVersion) +
                            "; upgrade operator-host\n");
}

}  // namespace
