// `operator-host plugins test FILE...` as a pack author runs it: the example
// pack against canned HTTP answers, passing, failing (each mismatch kind as
// expected/got), a request the file does not expect, a malformed file.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "host_harness.h"
#include "loopback_server.h"
#include "test_support.h"

namespace {

using opr::test::CommandResult;
using opr::test::contains;
using opr::test::TempDir;

CommandResult plugins_test(const std::vector<std::string>& files) {
  std::vector<std::string> args = {"plugins", "test", "--plugin-dir",
                                   opr::test::packs_dir().string()};
  args.insert(args.end(), files.begin(), files.end());
  return opr::test::run_operator_host(args, {}, std::chrono::seconds(60));
}

// http_ok of the example pack against one URL; `runs` is the file's list.
std::string http_ok_file(const std::string& runs) {
  return "pack: example\ncheck: http_ok\ncheck_params: {url: \"http://web.test/health\"}\n"
         "runs:\n" +
         runs;
}

TEST(PluginsTest, PassingFileExitsZeroWithGraceAppliedToTickets) {
  TempDir dir;
  opr::test::write_file(dir / "down.body", "down for maintenance");
  opr::test::write_file(dir / "pass.yaml", http_ok_file(R"(
  - at: 0s
    http: [{url: "http://web.test/health", status: 200, body: ok}]
    expect: {tickets: []}
  - at: 30s
    http: [{method: GET, url: "http://web.test/health", status: 503, body_file: down.body}]
    expect:
      violations:
        - subject: "http://web.test/health"
          severity: critical
          message_re: "answered 503"
          facts: {status: "503"}
      tickets: []
  - at: 2m
    http: [{url: "http://web.test/health", status: 503}]
    expect:
      violations:
        - {subject: "http://web.test/health", message: "GET http://web.test/health answered 503, expected 200-399"}
      tickets: [{subject: "http://web.test/health", severity: critical}]
)"));
  const auto result = plugins_test({(dir / "pass.yaml").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "SUCCESS")) << result.out;
  EXPECT_TRUE(contains(result.out, "PASSED: 1 of 1 test files passed (3 runs)")) << result.out;
}

TEST(PluginsTest, FailingFileShowsEachMismatchAsExpectedAndGot) {
  TempDir dir;
  opr::test::write_file(dir / "fail.yaml", http_ok_file(R"(
  - http: [{url: "http://web.test/health", status: 500}]
    expect:
      violations:
        - subject: "http://web.test/health"
          severity: warning
          message: nope
          facts: {status: "200", missing: x}
        - subject: ghost
      unknown: [a]
  - http: [{url: "http://web.test/health", status: 200}]
    expect: {failed_re: boom}
  - http: [{url: "http://web.test/health", status: 200}]
    expect: {tickets: [{subject: "http://web.test/health"}]}
)"));
  const auto result = plugins_test({(dir / "fail.yaml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const std::string& out = result.out;
  const std::string violation = "violation 'http://web.test/health': ";
  for (const std::string& line : {
           violation + "severity: expected warning, got critical",
           violation + "message: expected 'nope', got 'GET http://web.test/health answered 500, "
                       "expected 200-399'",
           violation + "fact 'status': expected '200', got '500'",
           violation + "fact 'missing': expected 'x', got none",
           std::string("violation 'ghost': expected, got none"),
           std::string("unknown: expected ['a'], got []"),
           std::string("failed: expected /boom/, got a successful run"),
           std::string("tickets: expected ['http://web.test/health'], got []"),
           std::string("FAILED: 0 of 1 test files passed (3 runs)"),
       }) {
    EXPECT_TRUE(contains(out, line)) << line << "\n--- in ---\n" << out;
  }
  EXPECT_TRUE(contains(out, (dir / "fail.yaml").string() + ":6:5: run 1 (at 0s)")) << out;
}

TEST(PluginsTest, UnexpectedRequestFailsNamingMethodAndUrl) {
  TempDir dir;
  opr::test::write_file(dir / "other.yaml", http_ok_file(R"(
  - http: [{url: "http://web.test/other", status: 200}]
    expect:
      violations: [{subject: "http://web.test/health"}]
)"));
  const auto result = plugins_test({(dir / "other.yaml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.out, "unexpected request: GET http://web.test/health")) << result.out;
}

// An answer no request of its run asked for is a stale test (the pack no
// longer asks there) or a typo in a URL: the run fails, naming it.
TEST(PluginsTest, AnswerNobodyAskedForFailsNamingMethodAndUrl) {
  TempDir dir;
  opr::test::write_file(dir / "extra.yaml", http_ok_file(R"(
  - http:
      - {url: "http://web.test/health", status: 200}
      - {url: "http://web.test/metrics", method: POST}
    expect: {violations: []}
)"));
  const auto result = plugins_test({(dir / "extra.yaml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(contains(result.out,
                       "answered but never asked: POST http://web.test/metrics "
                       "(the answer at line 8)"))
      << result.out;
  EXPECT_FALSE(contains(result.out, "never asked: GET")) << result.out;
  EXPECT_FALSE(contains(result.out, "unexpected request")) << result.out;

  const auto json =
      nlohmann::json::parse(plugins_test({"--json", (dir / "extra.yaml").string()}).out);
  EXPECT_EQ(json["files"][0]["failures"][0]["mismatches"][0],
            "answered but never asked: POST http://web.test/metrics (the answer at line 8)")
      << json.dump();
}

TEST(PluginsTest, JsonListsEachFileWithItsMismatches) {
  TempDir dir;
  opr::test::write_file(dir / "wrong.yaml", http_ok_file(R"(
  - http: [{url: "http://web.test/health", status: 200}]
    expect: {failed: boom}
)"));
  const auto result = plugins_test({"--json", (dir / "wrong.yaml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  const auto json = nlohmann::json::parse(result.out);
  EXPECT_EQ(json["passed"], false) << result.out;
  ASSERT_EQ(json["files"].size(), 1u) << result.out;
  EXPECT_EQ(json["files"][0]["runs"], 1) << result.out;
  EXPECT_EQ(json["files"][0]["failures"][0]["mismatches"][0],
            "failed: expected 'boom', got a successful run")
      << result.out;
}

TEST(PluginsTest, QueryOrderDoesNotMatter) {
  TempDir dir;
  opr::test::write_file(
      dir / "query.yaml",
      "pack: example\ncheck: http_ok\ncheck_params: {url: \"http://web.test/q?b=2&a=1\"}\n"
      "runs:\n  - http: [{url: \"http://web.test/q?a=1&b=2\"}]\n");
  const auto result = plugins_test({(dir / "query.yaml").string()});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST(PluginsTest, MalformedFileIsReportedAtItsLineAndColumn) {
  TempDir dir;
  opr::test::write_file(dir / "bad.yaml",
                        "pack: example\ncheck: http_ok\nruns:\n  - at: 0s\n    bogus: 1\n");
  opr::test::write_file(dir / "nocheck.yaml", "pack: example\ncheck: nope\nruns:\n  - at: 0s\n");
  const auto result = plugins_test({(dir / "bad.yaml").string(), (dir / "nocheck.yaml").string()});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_TRUE(
      contains(result.out, (dir / "bad.yaml").string() + ":5:5: unknown key 'bogus' in a run"))
      << result.out;
  EXPECT_TRUE(contains(
      result.out, (dir / "nocheck.yaml").string() + ":2:8: pack 'example' has no check 'nope'"))
      << result.out;
}

TEST(PluginsTest, NoFileIsAUsageError) {
  const auto result = plugins_test({});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_TRUE(contains(result.err, "plugins test: give at least one test FILE")) << result.err;
}

}  // namespace

namespace {

// --once --record against a server that answers with a cookie and a key:
// none of the credentials reach the file, which replays once the server
// is gone.
TEST(PluginsRecord, RecordsWithoutCredentialsAndReplays) {
  opr::test::HostHarness host;
  opr::test::TempDir records;
  {
    opr::test::LoopbackServer web;
    web.server().Get("/health", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("Set-Cookie", "session=cookie-value-9");
      res.set_header("X-Api-Key", "key-value-7");
      res.set_header("X-Served-By", "web-1");
      res.status = 503;
      res.set_content("down for maintenance", "text/plain");
    });
    web.start();
    const std::string url = "http://op:pass-value-5@127.0.0.1:" + std::to_string(web.port()) +
                            "/health?token=token-value-3&x=1";
    host.write_config(
        "targets:\n  - name: web\n    pack: example\n    checks:\n"
        "      file_fresh: {enabled: false}\n      http_ok: {url: \"" +
        url + "\"}\n");
    const auto recorded = host.run({"--once", "--record", records.path().string(), "--json"});
    ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
    const auto json = nlohmann::json::parse(recorded.out);
    ASSERT_EQ(json["recorded"].size(), 1u) << recorded.out;
    EXPECT_EQ(json["recorded"][0]["check"], "http_ok") << recorded.out;
    EXPECT_EQ(json["recorded"][0]["outcome"], "1 violations") << recorded.out;
    EXPECT_EQ(json["failed"], 0) << recorded.out;
  }
  const std::string file = opr::test::read_file(records / "web.http_ok.yaml");
  for (const char* secret : {"pass-value-5", "token-value-3", "cookie-value-9", "key-value-7"}) {
    EXPECT_FALSE(contains(file, secret)) << secret << " in\n" << file;
  }
  EXPECT_TRUE(contains(file, "x-served-by: \"web-1\"")) << file;
  EXPECT_TRUE(contains(file, "status: 503")) << file;
  EXPECT_TRUE(contains(file, "message: \"GET http://op:***@127.0.0.1:")) << file;

  const auto replayed = plugins_test({(records / "web.http_ok.yaml").string()});
  EXPECT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err << file;
}

}  // namespace
