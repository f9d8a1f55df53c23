// POST /-/record on a running monitor: the next run of every check written
// as `plugins test` files under the config's http.record_dir, whichever
// isolation the target has (a runner makes the requests and sends them
// back), one recording at a time, and off without a record_dir.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "loopback_server.h"
#include "observe_helpers.h"

namespace opr::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 30s;
constexpr std::string_view kRecording = "recording the next run of every check into ";

// `http:` lines for a listener on `port` that records into "recordings".
std::string http_recording(int port) {
  return "http: {listen: '127.0.0.1:" + std::to_string(port) + "', record_dir: recordings}\n";
}

// POST /-/record once the listener answers.
HttpResult post_record(int port) {
  HttpResult answer;
  wait_until(
      [&] {
        answer = http_request(port, "POST", "/-/record", "", 10s);
        return answer.status != 0;
      },
      kPatience);
  return answer;
}

// The folder a 202 answer names.
std::filesystem::path recording_dir(const HttpResult& answer) {
  if (!answer.body.starts_with(kRecording)) return {};
  return answer.body.substr(kRecording.size(), answer.body.size() - kRecording.size() - 1);
}

TEST(RecordEndpoint, IsOffWithoutARecordDir) {
  HostHarness harness;
  const int port = free_port();
  harness.write_config(http_listen(port) + "targets:\n" +
                       control_target(harness, "a", ", interval: 200ms"));
  auto host = harness.start();
  const HttpResult answer = post_record(port);
  EXPECT_EQ(answer.status, 403) << answer.body << host->err();
  EXPECT_EQ(answer.body, "recording is off: set 'record_dir' in the config's 'http' section\n");
  EXPECT_FALSE(std::filesystem::exists(harness.file("recordings")));
}

class RecordIsolation : public ::testing::TestWithParam<std::string> {};

// The control pack streams a two-line body (http_stream): the recording
// keeps it whole, as a block, and it replays once the server is gone.
TEST_P(RecordIsolation, RecordsAStreamedBodyAndItReplays) {
  HostHarness harness;
  const int port = free_port();
  std::filesystem::path dir;
  {
    LoopbackServer web;
    web.server().Get("/data", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("first line\nsecond line\n", "text/plain");
    });
    web.start();
    write_file(harness.file("a.cmd"),
               "stream http://127.0.0.1:" + std::to_string(web.port()) + "/data\n");
    harness.write_config(
        http_recording(port) + "targets:\n" +
        control_target(harness, "a", ", interval: 200ms", "    isolation: " + GetParam() + "\n"));
    auto host = harness.start();
    const HttpResult answer = post_record(port);
    ASSERT_EQ(answer.status, 202) << answer.body << host->err();
    dir = recording_dir(answer);
    EXPECT_EQ(dir.parent_path(), harness.file("recordings")) << answer.body;
    ASSERT_TRUE(host->wait_for_output("recorded 1 checks into " + dir.string(), kPatience))
        << host->err();
    host->signal(SIGTERM);
    EXPECT_EQ(host->wait(kPatience), 0) << host->err();
  }  // the server is gone

  const std::string file = read_file(dir / "a.probe.yaml");
  EXPECT_TRUE(contains(file, "body: |\n")) << file;
  EXPECT_TRUE(contains(file, "  first line\n")) << file;
  const CommandResult replayed =
      run_operator_host({"plugins", "test", "--plugin-dir", harness.file("packs").string(),
                         (dir / "a.probe.yaml").string()});
  EXPECT_EQ(replayed.exit_code, 0) << replayed.out << replayed.err << file;
}

INSTANTIATE_TEST_SUITE_P(Isolation, RecordIsolation, ::testing::Values("process", "in_process"),
                         [](const auto& info) { return info.param; });

// While a recording waits for a check stuck in its pack, another is
// refused; once the check ran, a new one starts in a folder of its own.
TEST(RecordEndpoint, OneRecordingAtATime) {
  HostHarness harness;
  const int port = free_port();
  FileGate gate(harness.file("gate"));
  write_file(harness.file("a.cmd"), "block_until " + gate.path().string() + "\n");
  harness.write_config(http_recording(port) + "targets:\n" +
                       control_target(harness, "a", ", interval: 200ms, timeout: 1h",
                                      "    isolation: in_process\n"));
  auto host = harness.start();
  const HttpResult first = post_record(port);
  ASSERT_EQ(first.status, 202) << first.body << host->err();
  const HttpResult refused = http_request(port, "POST", "/-/record", "", 10s);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.body, "not recording: a recording is under way; try again when it ends\n");

  write_file(harness.file("a.cmd"), "ok\n");
  gate.open();
  ASSERT_TRUE(
      host->wait_for_output("recorded 1 checks into " + recording_dir(first).string(), kPatience))
      << host->err();
  const HttpResult second = http_request(port, "POST", "/-/record", "", 10s);
  EXPECT_EQ(second.status, 202) << second.body;
  EXPECT_NE(recording_dir(second), recording_dir(first));
  EXPECT_TRUE(std::filesystem::exists(recording_dir(first) / "a.probe.yaml"));
}

// A check is recorded at its next run: one an hour away keeps the
// recording open until a reload removes it, which ends the recording
// saying the check did not run.
TEST(RecordEndpoint, AReloadThatRemovesAnArmedCheckEndsTheRecording) {
  HostHarness harness;
  const int port = free_port();
  const std::string a = control_target(harness, "a", ", interval: 200ms");
  harness.write_config(http_recording(port) + "targets:\n" + a +
                       control_target(harness, "b", ", interval: 1h"));
  auto host = harness.start();
  // b's first run is behind it: its next is an hour away.
  ASSERT_TRUE(wait_until(
      [&] {
        std::error_code ec;
        return std::filesystem::exists(harness.file("b.log"), ec) &&
               contains(read_file(harness.file("b.log")), "probe end");
      },
      kPatience))
      << host->err();
  const HttpResult answer = post_record(port);
  ASSERT_EQ(answer.status, 202) << answer.body << host->err();
  EXPECT_TRUE(wait_until(
      [&] { return std::filesystem::exists(recording_dir(answer) / "a.probe.yaml"); }, kPatience))
      << host->err();
  EXPECT_EQ(http_request(port, "POST", "/-/record", "", 10s).status, 409);

  harness.write_config(http_recording(port) + "targets:\n" + a);
  EXPECT_EQ(http_request(port, "POST", "/-/reload", "", 60s).status, 200) << host->err();
  ASSERT_TRUE(
      host->wait_for_output("recorded 1 checks into " + recording_dir(answer).string(), kPatience))
      << host->err();
  EXPECT_TRUE(contains(host->err(), "recording: b/probe: did not run")) << host->err();
  EXPECT_EQ(http_request(port, "POST", "/-/record", "", 10s).status, 202);
}

}  // namespace
}  // namespace opr::test
