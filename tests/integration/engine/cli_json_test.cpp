// --json through the real binary: every command that prints something
// prints one JSON document on stdout; an error is one JSON object on
// stderr with the exit code the text form has; an unknown option reads the
// same for every command. And the monitor's log: the tickets a run opened
// and resolved are named, and the heartbeat has one form.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "engine_helpers.h"
#include "host_harness.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

// What a command printed on stdout, as JSON; a test failure (and null)
// when it is not one JSON document.
Json json_of(const std::string& text, const std::string& what) {
  try {
    return Json::parse(text);
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << " is not JSON (" << e.what() << "): " << text;
    return nullptr;
  }
}

// Each line of stderr, as JSON: with --json, log lines are JSON lines too,
// and an error is the last line.
std::vector<Json> stderr_lines(const std::string& err, const std::string& what) {
  std::vector<Json> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) lines.push_back(json_of(line, what));
  return lines;
}

// Every key of `keys` is in `object`.
void expect_keys(const Json& object, const std::vector<std::string>& keys,
                 const std::string& what) {
  ASSERT_TRUE(object.is_object()) << what << ": " << object.dump();
  for (const auto& key : keys) EXPECT_TRUE(object.contains(key)) << what << " lacks " << key;
}

class CliJson : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(harness_.file("a.cmd"), "violate s1 critical store s1 is Down\n");
    harness_.write_config("targets:\n" + control_target(harness_, "a", ", interval: 1h"));
  }

  // `operator-host --config FILE args... --json`, expected to succeed.
  Json run_json(std::vector<std::string> args, int exit_code = 0) {
    const std::string what = args.front() + (args.size() > 1 ? " " + args[1] : "");
    args.push_back("--json");
    const CommandResult result = harness_.run(args);
    EXPECT_EQ(result.exit_code, exit_code) << what << "\n" << result.err;
    stderr_lines(result.err, what + "'s stderr");
    return json_of(result.out, what);
  }

  HostHarness harness_;
};

TEST_F(CliJson, OnceIsOneDocumentWithTheStateAndEachChecksOutcome) {
  const Json once = run_json({"--once"}, 2);
  expect_keys(once, {"state", "exit_code", "summary", "checks"}, "--once");
  EXPECT_EQ(once["state"], "CRITICAL");
  EXPECT_EQ(once["exit_code"], 2);
  EXPECT_EQ(once["summary"]["checks"], 1);
  EXPECT_EQ(once["summary"]["violated"], 1);
  EXPECT_EQ(once["summary"]["violations"], 1);
  ASSERT_EQ(once["checks"].size(), 1u);
  const Json& check = once["checks"][0];
  expect_keys(
      check,
      {"target", "check", "outcome", "duration_ms", "error", "cause", "violations", "unknown"},
      "a check");
  EXPECT_EQ(check["target"], "a");
  EXPECT_EQ(check["check"], "probe");
  EXPECT_EQ(check["outcome"], "violated");
  EXPECT_TRUE(check["duration_ms"].is_number_integer());
  EXPECT_TRUE(check["error"].is_null());
  ASSERT_EQ(check["violations"].size(), 1u);
  EXPECT_EQ(check["violations"][0]["subject"], "s1");
  EXPECT_EQ(check["violations"][0]["message"], "store s1 is Down");
  EXPECT_EQ(check["violations"][0]["severity"], "critical");
  EXPECT_TRUE(check["violations"][0]["in_grace_until"].is_null());

  // A failed check: UNKNOWN, its error said.
  write_file(harness_.file("a.cmd"), "fail PD answered 500\n");
  const Json failed = run_json({"--once"}, 3);
  EXPECT_EQ(failed["state"], "UNKNOWN");
  EXPECT_EQ(failed["checks"][0]["outcome"], "failed");
  EXPECT_EQ(failed["checks"][0]["error"], "PD answered 500");
  EXPECT_TRUE(failed["checks"][0]["cause"].is_null());

  // One that names its cause (ABI 1.3) says which dependency failed.
  write_file(harness_.file("a.cmd"), "fail_cause pd:http://pd:2379 PD answered 500\n");
  const Json blamed = run_json({"--once"}, 3);
  EXPECT_EQ(blamed["checks"][0]["error"], "PD answered 500");
  EXPECT_EQ(blamed["checks"][0]["cause"], "pd:http://pd:2379");
}

TEST_F(CliJson, EveryCommandThatPrintsPrintsOneJsonDocument) {
  run_json({"--once"}, 2);  // opens the ticket
  const auto ticket = harness_.open_ticket("a/probe/s1");
  ASSERT_TRUE(ticket.has_value());
  const std::string id = std::to_string(ticket->id);
  const std::vector<std::string> ticket_keys = {"id",   "violation_key", "status",
                                                "held", "events",        "notifications"};

  // Each change prints the ticket as `tickets show --json` does.
  const struct {
    std::vector<std::string> args;
    std::string status;
  } changes[] = {
      {{"tickets", "ack", id, "--note", "on it"}, "acknowledged"},
      {{"tickets", "hold", id}, "acknowledged"},
      {{"tickets", "unhold", id}, "acknowledged"},
      {{"tickets", "diagnose", id, "--text", "disk gone"}, "diagnosed"},
      {{"tickets", "note", id, "--text", "pm soon"}, "diagnosed"},
      {{"tickets", "resolve", id}, "resolved"},
      {{"tickets", "note", id, "--text", "post-mortem"}, "resolved"},
  };
  for (const auto& change : changes) {
    const Json json = run_json(change.args);
    expect_keys(json, ticket_keys, change.args[1]);
    EXPECT_EQ(json["id"], ticket->id) << change.args[1];
    EXPECT_EQ(json["status"], change.status) << change.args[1];
  }
  const Json shown = run_json({"tickets", "show", id});
  expect_keys(shown, ticket_keys, "show");
  EXPECT_EQ(shown["events"].back()["note"], "post-mortem");
  EXPECT_EQ(shown["held"], false);

  const Json listed = run_json({"tickets", "list", "--all"});
  ASSERT_TRUE(listed.is_array());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], ticket->id);

  const Json silence =
      run_json({"tickets", "silence", "--target", "a", "--for", "1h", "--comment", "upgrade"});
  expect_keys(silence, {"id", "target", "check", "subject", "ends_at", "author", "comment"},
              "silence");
  const Json silences = run_json({"tickets", "silences"});
  ASSERT_TRUE(silences.is_array());
  EXPECT_EQ(silences.size(), 1u);
  const Json ended = run_json({"tickets", "unsilence", to_string(silence["id"])});
  EXPECT_EQ(ended["id"], silence["id"]);
  EXPECT_FALSE(ended["expired_by"].is_null());

  const Json config = run_json({"config", "check"});
  expect_keys(config, {"config", "valid", "targets", "receivers", "listen", "warnings"},
              "config check");
  EXPECT_EQ(config["valid"], true);
  ASSERT_EQ(config["targets"].size(), 1u);
  EXPECT_EQ(config["targets"][0]["name"], "a");
  EXPECT_EQ(config["targets"][0]["checks"][0]["name"], "probe");
  EXPECT_EQ(config["targets"][0]["checks"][0]["interval_ms"], 3'600'000);

  const Json packs = run_json({"plugins", "list", "--plugin-dir", harness_.file("packs").string()});
  expect_keys(packs, {"packs", "failed"}, "plugins list");
  EXPECT_EQ(packs["failed"], 0);

  const Json version = run_json({"--version"});
  expect_keys(version, {"version", "pack_abi"}, "--version");
}

// The same error in both forms: the text's message is the JSON's "error",
// and the exit code is the same.
TEST_F(CliJson, AnErrorIsJsonOnStderrWithTheSameExitCode) {
  const std::string missing = harness_.file("missing.yaml").string();
  const struct {
    std::vector<std::string> args;
    int exit_code;
  } cases[] = {
      {{"--db", harness_.db_path().string(), "tickets", "show", "99"}, 1},
      {{"--db", harness_.db_path().string(), "tickets", "ack", "1", "--bogus"}, 2},
      {{"--db", harness_.db_path().string(), "tickets", "list", "--limit", "x"}, 2},
      {{"config", "check", "--config", missing}, 1},
      {{"--db", harness_.db_path().string(), "tickets", "diagnose", "1", "--file", missing}, 1},
      {{"--config", missing, "--once"}, 3},
      {{"--config", harness_.config_path().string(), "--once", "--bogus"}, 3},
  };
  for (const auto& c : cases) {
    std::string what;
    for (const auto& word : c.args) what += word + " ";
    const CommandResult text = run_operator_host(c.args);
    EXPECT_EQ(text.exit_code, c.exit_code) << what << text.err;
    // config check's errors are FILE:LINE:COLUMN: message, with no prefix.
    const std::string prefix = text.err.starts_with("operator-host: ") ? "operator-host: " : "";

    std::vector<std::string> args = c.args;
    args.push_back("--json");
    const CommandResult json = run_operator_host(args);
    EXPECT_EQ(json.exit_code, c.exit_code) << what << json.err;
    EXPECT_EQ(json.out, "") << what;  // --once too: the caller reads stderr
    const auto lines = stderr_lines(json.err, what + "--json's stderr");
    ASSERT_FALSE(lines.empty()) << what;
    const Json& error = lines.back();
    expect_keys(error, {"error", "exit_code"}, what);
    EXPECT_EQ(error["exit_code"], c.exit_code) << what;
    // The text form's message, its prefix and line end aside.
    const std::string message = text.err.substr(prefix.size(), text.err.find('\n') - prefix.size());
    EXPECT_EQ(error["error"], message) << what;
  }
}

TEST_F(CliJson, AnUnknownOptionReadsTheSameForEveryCommand) {
  const std::string db = harness_.db_path().string();
  const std::string config = harness_.config_path().string();
  const struct {
    std::vector<std::string> args;
    std::string command;
    int exit_code;
  } cases[] = {
      {{"--db", db, "tickets", "ack", "1", "--bogus"}, "tickets ack", 2},
      {{"--db", db, "tickets", "list", "--bogus"}, "tickets list", 2},
      {{"--config", config, "config", "check", "--bogus"}, "config check", 2},
      {{"plugins", "list", "--bogus"}, "plugins list", 2},
      {{"--config", config, "--bogus"}, "", 2},
      {{"--config", config, "--once", "--bogus"}, "", 3},
  };
  for (const auto& c : cases) {
    const CommandResult result = run_operator_host(c.args);
    const std::string command = c.command.empty() ? "" : c.command + ": ";
    const std::string help = c.command.empty() ? "" : c.command + " ";
    EXPECT_EQ(result.err, "operator-host: " + command +
                              "unknown option '--bogus'; see 'operator-host " + help + "--help'\n");
    EXPECT_EQ(result.exit_code, c.exit_code) << c.command;
  }
}

// Heartbeats in one form: "Check complete: N checks run, N violations, N
// failures, N open tickets", whether the cycle found problems or not.
std::vector<std::string> heartbeats(const std::string& log) {
  std::vector<std::string> found;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const size_t at = line.find("Check complete: ");
    if (at != std::string::npos) found.push_back(line.substr(at));
  }
  return found;
}

TEST_F(CliJson, TheMonitorsLogNamesTheTicketsItOpensAndResolvesAndHasOneHeartbeat) {
  write_file(harness_.file("a.cmd"),
             "violate s1 critical store s1 is Down\nviolate s2 warning store s2 is slow\n");
  harness_.write_config("targets:\n" + control_target(harness_, "a"));
  auto host = harness_.start();
  ASSERT_TRUE(wait_until(
      [&] {
        return harness_.open_ticket("a/probe/s1").has_value() &&
               harness_.open_ticket("a/probe/s2").has_value();
      },
      30s))
      << host->err();
  const int64_t s1 = harness_.open_ticket("a/probe/s1")->id;
  const int64_t s2 = harness_.open_ticket("a/probe/s2")->id;
  EXPECT_TRUE(
      host->wait_for_output("a/probe opened ticket " + std::to_string(s1) + " (subject s1)", 30s))
      << host->err();
  EXPECT_TRUE(
      host->wait_for_output("a/probe opened ticket " + std::to_string(s2) + " (subject s2)", 30s))
      << host->err();

  // s2 heals: its ticket, and only it, is named resolved.
  write_file(harness_.file("a.cmd"), "violate s1 critical store s1 is Down\n");
  EXPECT_TRUE(
      host->wait_for_output("a/probe resolved ticket " + std::to_string(s2) + " (subject s2)", 30s))
      << host->err();
  // All heal: a passing cycle's heartbeat.
  write_file(harness_.file("a.cmd"), "ok\n");
  EXPECT_TRUE(
      host->wait_for_output("a/probe resolved ticket " + std::to_string(s1) + " (subject s1)", 30s))
      << host->err();
  ASSERT_TRUE(wait_until(
      [&] {
        return count_occurrences(host->err(), "0 violations, 0 failures, 0 open tickets") > 0;
      },
      30s))
      << host->err();
  stop_host(*host);

  EXPECT_EQ(count_occurrences(host->err(), "ticket(s)"), 0) << host->err();
  const std::regex form(
      R"(Check complete: \d+ checks run, \d+ violations, \d+ failures, \d+ open tickets)");
  bool failing = false;
  bool passing = false;
  for (const auto& line : heartbeats(host->err())) {
    EXPECT_TRUE(std::regex_match(line, form)) << line;
    failing |= line.find(" 0 violations") == std::string::npos;
    passing |= line.find(" 0 violations, 0 failures") != std::string::npos;
  }
  EXPECT_TRUE(failing && passing) << host->err();
}

}  // namespace
}  // namespace opr::test
