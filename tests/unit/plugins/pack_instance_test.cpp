#include "plugins/pack_instance.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "http/client.h"
#include "loopback_server.h"
#include "pack_run_helpers.h"
#include "plugins/pack_loader.h"
#include "test_support.h"

namespace opr::plugins {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class PackInstanceTest : public ::testing::Test {
 protected:
  RunResult run(PackInstance& instance, const std::string& check, const ParamMap& params = {},
                std::chrono::milliseconds timeout = 10s) {
    RunControl control;
    control.deadline = std::chrono::steady_clock::now() + timeout;
    return instance.run(check_index(instance.pack(), check), params, control);
  }

  std::shared_ptr<http::Client> http_ = std::make_shared<http::Client>();
};

// --- the host's side of the ABI, driven by a plain C pack -----------------

class MisbehavingPackTest : public PackInstanceTest {
 protected:
  std::shared_ptr<const LoadedPack> pack_ = load(test::fixture_pack("misbehaving"));
  PackInstance instance_{pack_, "target_a", {}, http_};
};

TEST_F(MisbehavingPackTest, FailedRunWithoutAMessageGetsOne) {
  const RunResult result = run(instance_, "fail_silently");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "check failed without a message");
}

TEST_F(MisbehavingPackTest, OkAfterRunFailCountsAsFailed) {
  const RunResult result = run(instance_, "ok_after_fail");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "gave up half way");
}

TEST_F(MisbehavingPackTest, UnknownStatusIsAFailure) {
  const RunResult result = run(instance_, "bad_status");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "the check returned an unknown status 7");
}

TEST_F(MisbehavingPackTest, LastReportOfASubjectWins) {
  const RunResult result = run(instance_, "report_twice");
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 2u);
  EXPECT_EQ(result.violations[0].subject, "s");
  EXPECT_EQ(result.violations[0].message, "second");
  EXPECT_EQ(result.violations[1].subject, "t");
  ASSERT_EQ(result.violations[0].facts.size(), 1u);
  // Claimed to be a number but is not: kept as text.
  EXPECT_EQ(result.violations[0].facts[0].value, "not a number");
  EXPECT_FALSE(result.violations[0].facts[0].is_number);
}

TEST_F(MisbehavingPackTest, LogLinesNameThePackAndTarget) {
  std::ostringstream lines;
  const auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_st>(lines));
  logger->set_pattern("%l %v");
  spdlog::set_default_logger(logger);
  run(instance_, "report_twice");
  spdlog::set_default_logger(previous);
  EXPECT_EQ(lines.str(), "warning [misbehaving/target_a] reporting s twice\n");
}

TEST_F(MisbehavingPackTest, ReadsTypedParametersStrictly) {
  const ParamMap params = {{"s", std::string("text")},
                           {"i", int64_t{42}},
                           {"f", 0.5},
                           {"b", true},
                           {"d", std::chrono::milliseconds(90000)},
                           {"l", std::vector<std::string>{"x", "y"}}};
  const RunResult result = run(instance_, "params", params);
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "s=text i=42 f=0.5 b=1 d=90000 l=2 last=y");
}

TEST_F(MisbehavingPackTest, HttpResponsesArePaddedAndOutliveTheCall) {
  test::LoopbackServer server;
  server.server().Get("/data", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"a\":1}", "application/json");
  });
  server.start();
  const RunResult result = run(instance_, "http_get", {{"url", server.url("/data")}});
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, "{\"a\":1}");
  const auto& facts = result.violations[0].facts;
  ASSERT_NE(find_fact(facts, "status"), nullptr);
  EXPECT_EQ(find_fact(facts, "status")->value, "200");
  EXPECT_TRUE(find_fact(facts, "status")->is_number);
  EXPECT_EQ(find_fact(facts, "padded")->value, "yes");
  EXPECT_EQ(find_fact(facts, "error")->value, "");
}

TEST_F(MisbehavingPackTest, HttpTransportErrorsReachThePackAsText) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/";
  const RunResult result = run(instance_, "http_get", {{"url", url}});
  ASSERT_TRUE(result.ok) << result.error;
  const auto& facts = result.violations.at(0).facts;
  EXPECT_EQ(find_fact(facts, "status")->value, "0");
  EXPECT_TRUE(find_fact(facts, "error")
                  ->value.ends_with(" (" + std::string(std::strerror(ECONNREFUSED)) + ")"))
      << find_fact(facts, "error")->value;
  EXPECT_EQ(find_fact(facts, "padded")->value, "yes");
}

TEST_F(MisbehavingPackTest, HttpRequestsEndByTheRunsDeadline) {
  test::Gate gate;
  test::LoopbackServer server;
  server.server().Get("/hang", [&](const httplib::Request&, httplib::Response& res) {
    gate.wait();
    res.set_content("late", "text/plain");
  });
  server.start();
  // Without the deadline the gate would let "late" through after 10 s.
  const RunResult result = run(instance_, "http_get", {{"url", server.url("/hang")}}, 300ms);
  gate.open();
  ASSERT_TRUE(result.ok) << result.error;
  const auto& facts = result.violations.at(0).facts;
  EXPECT_EQ(find_fact(facts, "status")->value, "0");
  EXPECT_EQ(find_fact(facts, "error")->value, "timed out at the run's deadline");
}

// wait_cancel returns only once the host says the run is cancelled; nothing
// but the deadline can say so here.
TEST_F(MisbehavingPackTest, TheDeadlineCancelsARun) {
  const RunResult result = run(instance_, "wait_cancel", {}, 100ms);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "cancelled");
}

TEST_F(MisbehavingPackTest, TheCancelFlagCancelsARun) {
  RunControl control;
  control.deadline = std::chrono::steady_clock::now() + 30s;
  RunResult result;
  std::thread worker(
      [&] { result = instance_.run(check_index(*pack_, "wait_cancel"), {}, control); });
  control.cancelled = true;
  worker.join();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "cancelled");
}

TEST_F(MisbehavingPackTest, AnUnknownCheckIndexFails) {
  RunControl control;
  const RunResult result = instance_.run(99, {}, control);
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.error.find("no check #99"), std::string::npos);
}

// --- plugin.hpp's exception boundary ---------------------------------------

TEST_F(PackInstanceTest, AThrowingRunBecomesAFailedRun) {
  PackInstance instance(load(test::fixture_pack("throws")), "t", {{"explode", false}}, http_);
  const RunResult result = run(instance, "boom");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "the pack threw");
  // The instance is still usable.
  EXPECT_EQ(run(instance, "boom").error, "the pack threw");
}

TEST_F(PackInstanceTest, AThrowingCreateBecomesAnError) {
  try {
    PackInstance instance(load(test::fixture_pack("throws")), "t1", {{"explode", true}}, http_);
    FAIL() << "create should have failed";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("target 't1': explode was set"), std::string::npos)
        << e.what();
  }
}

TEST_F(PackInstanceTest, RefusesAPackThatDidNotLoad) {
  auto broken = std::make_shared<const LoadedPack>(load_pack(test::fixture_pack("bad")));
  EXPECT_THROW(PackInstance(broken, "t", {}, http_), std::runtime_error);
}

// --- the example pack -------------------------------------------------------

class ExamplePackTest : public PackInstanceTest {
 protected:
  void SetUp() override {
    server_.server().Get("/ok", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("fine", "text/plain");
    });
    server_.server().Get("/error",
                         [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    server_.server().Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(150ms);  // the latency under test, not a wait
      res.set_content("slow", "text/plain");
    });
    server_.start();
  }
  ParamMap http_params(const std::string& url, std::vector<std::string> expect = {"200-399"},
                       int64_t max_latency_ms = 1000) {
    return {{"url", url}, {"expect_status", std::move(expect)}, {"max_latency_ms", max_latency_ms}};
  }

  test::LoopbackServer server_;
  PackInstance instance_{load(test::example_pack()), "web", {}, http_};
};

TEST_F(ExamplePackTest, HttpOkPassesForAHealthyUrl) {
  const RunResult result = run(instance_, "http_ok", http_params(server_.url("/ok")));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_TRUE(result.violations.empty());
  EXPECT_NE(find_fact(result.facts, "latency_ms"), nullptr);
}

TEST_F(ExamplePackTest, HttpOkReportsAnUnexpectedStatus) {
  const std::string url = server_.url("/error");
  const RunResult result = run(instance_, "http_ok", http_params(url));
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, url);
  EXPECT_EQ(result.violations[0].message, "GET " + url + " answered 503, expected 200-399");
}

TEST_F(ExamplePackTest, HttpOkAcceptsTheStatusesItIsTold) {
  const RunResult result =
      run(instance_, "http_ok", http_params(server_.url("/error"), {"200", "500-503"}));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_TRUE(result.violations.empty());
}

TEST_F(ExamplePackTest, HttpOkReportsASlowResponse) {
  const RunResult result =
      run(instance_, "http_ok", http_params(server_.url("/slow"), {"200"}, 50));
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_NE(result.violations[0].message.find("(max 50 ms)"), std::string::npos)
      << result.violations[0].message;
}

TEST_F(ExamplePackTest, HttpOkReportsAnUnreachableUrlAsAViolation) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/";
  const RunResult result = run(instance_, "http_ok", http_params(url));
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, url);
  EXPECT_NE(result.violations[0].message.find("failed: "), std::string::npos);
}

TEST_F(ExamplePackTest, InstancesRunAtOnceOnOneSharedClient) {
  std::vector<std::unique_ptr<PackInstance>> instances;
  for (int i = 0; i < 4; ++i) {
    instances.push_back(std::make_unique<PackInstance>(
        load(test::example_pack()), "web" + std::to_string(i), ParamMap{}, http_));
  }
  std::vector<RunResult> results(instances.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < instances.size(); ++i) {
    threads.emplace_back([&, i] {
      const std::string path = i % 2 == 0 ? "/ok" : "/error";
      for (int n = 0; n < 5; ++n) {
        results[i] = run(*instances[i], "http_ok", http_params(server_.url(path)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i].ok) << results[i].error;
    EXPECT_EQ(results[i].violations.size(), i % 2 == 0 ? 0u : 1u);
  }
}

TEST_F(ExamplePackTest, HttpOkFailsOnAnInvalidExpectStatus) {
  const RunResult result = run(instance_, "http_ok", http_params(server_.url("/ok"), {"2xx"}));
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "expect_status: '2xx' is not a status (100-599) or a range such as 200-299");
}

TEST_F(ExamplePackTest, FileFreshPassesForARecentFile) {
  test::TempDir dir;
  test::write_file(dir / "heartbeat", "");
  const RunResult result = run(
      instance_, "file_fresh",
      {{"path", (dir / "heartbeat").string()}, {"max_age", std::chrono::milliseconds(3600000)}});
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_TRUE(result.violations.empty());
  ASSERT_NE(find_fact(result.facts, "age_seconds"), nullptr);
  EXPECT_TRUE(find_fact(result.facts, "age_seconds")->is_number);
}

TEST_F(ExamplePackTest, FileFreshReportsAnOldFile) {
  test::TempDir dir;
  const fs::path path = dir / "backup.tar";
  test::write_file(path, "");
  fs::last_write_time(path, fs::file_time_type::clock::now() - 2h);
  const RunResult result =
      run(instance_, "file_fresh",
          {{"path", path.string()}, {"max_age", std::chrono::milliseconds(3600000)}});
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, path.string());
  EXPECT_NE(result.violations[0].message.find("was last modified 2 h ago (max_age 1h)"),
            std::string::npos)
      << result.violations[0].message;
  const Fact* age = find_fact(result.violations[0].facts, "age_seconds");
  ASSERT_NE(age, nullptr);
  EXPECT_GE(std::stoll(age->value), 7200);
}

TEST_F(ExamplePackTest, FileFreshReportsAMissingFile) {
  test::TempDir dir;
  const std::string path = (dir / "never-written").string();
  const RunResult result =
      run(instance_, "file_fresh", {{"path", path}, {"max_age", std::chrono::milliseconds(1000)}});
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].message, path + " does not exist");
}

}  // namespace
}  // namespace opr::plugins
