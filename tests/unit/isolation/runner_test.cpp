// Pack runners of this build's operator-host as the host drives them: a
// run's whole outcome arrives as the pack gave it (the same as in-process),
// cancellation reaches the pack, a runner inherits nothing it does not need,
// and every way a runner can end (a crash, exit(), a hang, garbage on its
// channel) is a failed call naming the pack, never a crash of the host.
#include <dirent.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "http/client.h"
#include "http/exchange.h"
#include "isolation/frame.h"
#include "isolation/messages.h"
#include "isolation/probe.h"
#include "isolation/runner.h"
#include "isolation/runner_instance.h"
#include "loopback_server.h"
#include "plugins/pack_instance.h"
#include "plugins/pack_loader.h"
#include "test_support.h"

namespace opr::isolation {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using plugins::RunControl;
using plugins::RunResult;

RunnerOptions options() {
  RunnerOptions options;
  options.executable = test::operator_host();
  options.limits.memory_mb = 1024;
  options.limits.open_files = 256;
  return options;
}

std::shared_ptr<const plugins::LoadedPack> probed(const fs::path& file) {
  auto pack = std::make_shared<const plugins::LoadedPack>(probe_pack(file, options()));
  EXPECT_TRUE(pack->ok()) << pack->error;
  return pack;
}

uint32_t check_index(const plugins::LoadedPack& pack, const std::string& name) {
  const auto& checks = pack.declaration->checks;
  for (uint32_t i = 0; i < checks.size(); ++i) {
    if (checks[i].name == name) return i;
  }
  throw std::logic_error("no check " + name);
}

RunResult run(plugins::Instance& instance, uint32_t index, const ParamMap& params = {},
              std::chrono::milliseconds timeout = 20s) {
  RunControl control;
  control.timeout = timeout;
  control.deadline = std::chrono::steady_clock::now() + timeout;
  return instance.run(index, params, control);
}

// The host's log lines while it lives.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(lines_));
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return lines_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream lines_;
};

void expect_same(const std::vector<plugins::Fact>& runner,
                 const std::vector<plugins::Fact>& in_process) {
  ASSERT_EQ(runner.size(), in_process.size());
  for (size_t k = 0; k < runner.size(); ++k) {
    EXPECT_EQ(runner[k].key, in_process[k].key);
    EXPECT_EQ(runner[k].value, in_process[k].value);
    EXPECT_EQ(runner[k].is_number, in_process[k].is_number);
  }
}

void expect_same(const RunResult& runner, const RunResult& in_process) {
  EXPECT_EQ(runner.ok, in_process.ok);
  EXPECT_EQ(runner.error, in_process.error);
  ASSERT_EQ(runner.violations.size(), in_process.violations.size());
  for (size_t i = 0; i < runner.violations.size(); ++i) {
    const auto& a = runner.violations[i];
    const auto& b = in_process.violations[i];
    EXPECT_EQ(a.subject, b.subject);
    EXPECT_EQ(a.message, b.message);
    EXPECT_EQ(a.severity, b.severity);
    expect_same(a.facts, b.facts);
  }
  ASSERT_EQ(runner.unknown.size(), in_process.unknown.size());
  for (size_t i = 0; i < runner.unknown.size(); ++i) {
    EXPECT_EQ(runner.unknown[i].subject, in_process.unknown[i].subject);
    EXPECT_EQ(runner.unknown[i].reason, in_process.unknown[i].reason);
  }
  expect_same(runner.facts, in_process.facts);
}

TEST(Runner, ARunsWholeOutcomeIsTheOneThePackGivesInProcess) {
  test::LoopbackServer server;
  server.server().Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hello from the server", "text/plain");
  });
  server.start();
  const auto file = test::fixture_pack("misbehaving");
  auto loaded = std::make_shared<const plugins::LoadedPack>(plugins::load_pack(file));
  ASSERT_TRUE(loaded->in_process()) << loaded->error;
  auto pack = probed(file);
  ASSERT_FALSE(pack->in_process());
  plugins::PackInstance local(loaded, "t", {}, std::make_shared<http::Client>());
  RunnerInstance remote(pack, "t", {}, 10s, options());

  const ParamMap typed = {{"s", std::string("text")},
                          {"i", int64_t{-42}},
                          {"f", 0.5},
                          {"b", true},
                          {"d", std::chrono::milliseconds(1500)},
                          {"l", std::vector<std::string>{"a", "b"}}};
  const std::vector<std::pair<std::string, ParamMap>> runs = {
      {"fail_silently", {}}, {"ok_after_fail", {}}, {"report_twice", {}},
      {"bad_status", {}},    {"params", typed},     {"http_get", {{"url", server.url("/hello")}}}};
  for (const auto& [check, params] : runs) {
    SCOPED_TRACE(check);
    const uint32_t index = check_index(*pack, check);
    expect_same(run(remote, index, params), run(local, index, params));
  }
  EXPECT_FALSE(remote.broken().has_value());
}

// A recorded run's requests are made in the runner: their exchanges come
// back with the outcome. Ones too large for a frame are left out, saying
// so, and the run's outcome is what it would have been.
TEST(Runner, ARecordedRunsExchangesComeBackAndTooManyAreLeftOutNotFailed) {
  // The pack reports the body as its message: with its exchange the
  // outcome is past a frame, without it well inside.
  const std::string large(kMaxFramePayload / 2 + 1024, 'x');
  test::LoopbackServer server;
  server.server().Get("/hello", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hello\nfrom the server\n", "text/plain");
  });
  server.server().Get("/large", [&large](const httplib::Request&, httplib::Response& res) {
    res.set_content(large, "text/plain");
  });
  server.start();
  auto pack = probed(test::fixture_pack("misbehaving"));
  RunnerInstance instance(pack, "t", {}, 10s, options());
  const uint32_t index = check_index(*pack, "http_get");
  const auto recorded = [&](const std::string& path) {
    RunControl control;
    control.timeout = 20s;
    control.deadline = std::chrono::steady_clock::now() + control.timeout;
    control.record = std::make_shared<http::ExchangeLog>();
    const RunResult result = instance.run(index, {{"url", server.url(path)}}, control);
    return std::make_pair(result, control.record);
  };

  const auto [hello, hello_log] = recorded("/hello");
  EXPECT_EQ(hello.ok, run(instance, index, {{"url", server.url("/hello")}}).ok) << hello.error;
  const auto exchanges = hello_log->take();
  ASSERT_EQ(exchanges.size(), 1u);
  EXPECT_EQ(exchanges[0].url, server.url("/hello"));
  EXPECT_EQ(exchanges[0].status, 200);
  EXPECT_EQ(exchanges[0].body, "hello\nfrom the server\n");
  EXPECT_FALSE(hello_log->given_up().has_value());

  const auto [big, big_log] = recorded("/large");
  const RunResult plain = run(instance, index, {{"url", server.url("/large")}});
  EXPECT_EQ(big.ok, plain.ok) << big.error;
  EXPECT_EQ(big.error, plain.error);
  EXPECT_TRUE(big_log->take().empty());
  ASSERT_TRUE(big_log->given_up().has_value());
  EXPECT_TRUE(test::contains(*big_log->given_up(), "do not fit in one message"))
      << *big_log->given_up();
  EXPECT_FALSE(instance.broken().has_value());
}

TEST(Runner, WhatThePackLogsInItsRunnerReachesTheHostsLog) {
  LogCapture log;
  auto pack = probed(test::fixture_pack("misbehaving"));
  {
    RunnerInstance instance(pack, "target_a", {}, 10s, options());
    EXPECT_TRUE(run(instance, check_index(*pack, "report_twice")).ok);
  }
  EXPECT_TRUE(test::contains(log.text(), "[misbehaving/target_a] reporting s twice")) << log.text();
}

TEST(Runner, ARunPastItsDeadlineIsCancelledAndTheRunnerLivesOn) {
  auto pack = probed(test::fixture_pack("misbehaving"));
  RunnerInstance instance(pack, "t", {}, 10s, options());
  const RunResult late = run(instance, check_index(*pack, "wait_cancel"), {}, 300ms);
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(late.error, "timed out after 300ms");
  EXPECT_FALSE(instance.broken().has_value());
  EXPECT_EQ(run(instance, check_index(*pack, "ok_after_fail")).error, "gave up half way");
}

TEST(Runner, ARunThatIgnoresCancellationGetsItsRunnerKilled) {
  test::TempDir dir;
  const auto command = dir / "command";
  test::write_file(command, "block_until " + (dir / "never").string() + "\n");
  auto pack = probed(test::fixture_pack("control"));
  RunnerInstance instance(pack, "t", {}, 10s, options());
  const auto start = std::chrono::steady_clock::now();
  const RunResult result =
      run(instance, 0, {{"command_file", command.string()}}, std::chrono::milliseconds(300));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "timed out after 300ms; pack 'control' did not return, its runner was killed");
  EXPECT_LT(took, 300ms + kKillGrace + 5s);
  ASSERT_TRUE(instance.broken().has_value());
  EXPECT_TRUE(test::contains(run(instance, 0).error, "its runner was killed"));
}

TEST(Runner, ARunnerThatCrashesFailsTheRunNamingThePackAndTheSignal) {
  test::TempDir dir;
  const auto command = dir / "command";
  test::write_file(command, "crash\n");
  auto pack = probed(test::fixture_pack("control"));
  RunnerInstance instance(pack, "t", {}, 10s, options());
  const RunResult result = run(instance, 0, {{"command_file", command.string()}});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "pack 'control' crashed with SIGABRT during the run");
  EXPECT_EQ(instance.broken(), result.error);
}

TEST(Runner, WhatCreateRefusesComesBackWithTheParameterItBlames) {
  test::TempDir dir;
  const auto lifecycle = dir / "lifecycle";
  test::write_file(lifecycle, "create refuse lifecycle_file not today\n");
  auto pack = probed(test::fixture_pack("control"));
  try {
    RunnerInstance instance(pack, "t", {{"lifecycle_file", lifecycle.string()}}, 10s, options());
    FAIL() << "create() was refused";
  } catch (const RunnerFailure& e) {
    FAIL() << "not a runner failure: " << e.what();
  } catch (const plugins::InstanceError& e) {
    EXPECT_TRUE(test::contains(e.what(), "not today")) << e.what();
    EXPECT_EQ(e.param(), "lifecycle_file");
  }
}

TEST(Runner, DestroyRunsInTheRunnerWhenTheInstanceGoes) {
  test::TempDir dir;
  const auto lifecycle = dir / "lifecycle";
  const auto calls = dir / "calls";
  test::write_file(lifecycle,
                   "create append " + calls.string() + "\ndestroy append " + calls.string() + "\n");
  auto pack = probed(test::fixture_pack("control"));
  {
    RunnerInstance instance(pack, "t", {{"lifecycle_file", lifecycle.string()}}, 10s, options());
    EXPECT_EQ(test::read_file(calls), "create\n");
  }
  EXPECT_EQ(test::read_file(calls), "create\ndestroy\n");
}

TEST(Runner, ARunnerInheritsNothingButItsChannelAndAQuietStdin) {
  // A descriptor of the host's own, not close-on-exec (as a careless
  // library might leave one): the runner must not have it.
  const int leaky = ::open("/dev/null", O_RDONLY);
  ASSERT_GE(leaky, 0);
  RunnerProcess runner(options(), "probe");
  const Reply reply =
      runner.call(MessageType::load, encode(LoadRequest{test::example_pack().string()}),
                  MessageType::loaded, Clock::now() + 20s);
  ::close(leaky);
  ASSERT_EQ(reply.kind, Reply::Kind::frame) << reply.problem;
  std::vector<std::string> fds;
  const fs::path dir = "/proc/" + std::to_string(runner.pid()) + "/fd";
  for (const auto& entry : fs::directory_iterator(dir)) fds.push_back(entry.path().filename());
  std::sort(fds.begin(), fds.end());
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2", "3"}));
  EXPECT_EQ(fs::read_symlink(dir / "0"), "/dev/null");
}

TEST(Runner, APackThatCrashesWhileLoadingIsReportedAndNothingElse) {
  const auto crash = probe_pack(test::fixture_pack("crash_entry"), options());
  EXPECT_FALSE(crash.ok());
  EXPECT_EQ(crash.error, test::crashed_while_loading(test::fixture_pack("crash_entry")));

  const auto example = probe_pack(test::example_pack(), options());
  ASSERT_TRUE(example.ok()) << example.error;
  const auto local = plugins::load_pack(test::example_pack());
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(example.declaration->name, local.declaration->name);
  ASSERT_EQ(example.declaration->checks.size(), local.declaration->checks.size());
  for (size_t i = 0; i < local.declaration->checks.size(); ++i) {
    const auto& a = example.declaration->checks[i];
    const auto& b = local.declaration->checks[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.description, b.description);
    EXPECT_EQ(a.default_interval, b.default_interval);
    ASSERT_EQ(a.params.size(), b.params.size());
    for (size_t k = 0; k < a.params.size(); ++k) {
      EXPECT_EQ(a.params[k].name, b.params[k].name);
      EXPECT_EQ(a.params[k].default_value, b.params[k].default_value);
      EXPECT_EQ(a.params[k].bounds.describe(), b.params[k].bounds.describe());
    }
  }
}

TEST(Runner, GarbageOnTheChannelFailsTheRunAndKillsTheRunner) {
  auto pack = probed(test::fixture_pack("unruly"));
  RunnerInstance instance(pack, "t", {{"mode", std::string("garbage")}}, 10s, options());
  const RunResult result = run(instance, 0);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(
      test::contains(result.error, "pack 'unruly' broke the runner protocol during the run"))
      << result.error;
  EXPECT_TRUE(instance.broken().has_value());
}

TEST(Runner, AFrameCutShortIsARunnerThatDiedMidMessage) {
  auto pack = probed(test::fixture_pack("unruly"));
  RunnerInstance instance(pack, "t", {{"mode", std::string("truncated_frame")}}, 10s, options());
  const RunResult result = run(instance, 0);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "pack 'unruly' exited with status 0 during the run, in the middle of a message to the "
            "host");
}

TEST(Runner, AnOutcomeLargerThanAFrameFailsTheRunSayingSo) {
  auto pack = probed(test::fixture_pack("unruly"));
  RunnerInstance instance(pack, "t", {{"mode", std::string("huge_outcome")}}, 10s, options());
  const RunResult result = run(instance, 0);
  EXPECT_FALSE(result.ok);
  EXPECT_TRUE(test::contains(result.error, "does not fit in one message to the host"))
      << result.error;
  EXPECT_FALSE(instance.broken().has_value());
}

}  // namespace
}  // namespace opr::isolation
