// http_stream (ABI 1.1) through the real host services table: the `control`
// test pack streams a body with plugin.hpp's Run::http_stream (or plugin.h's
// function directly) and reports what reached it as run facts.
#include <gtest/gtest.h>
#include <operator/plugin.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "http/client.h"
#include "loopback_server.h"
#include "pack_run_helpers.h"
#include "plugins/pack_instance.h"
#include "test_support.h"

namespace opr::plugins {
namespace {

using namespace std::chrono_literals;

// The control pack's checksum of what it streamed.
std::string fnv1a(const std::string& bytes) {
  uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

std::string fact(const RunResult& result, const std::string& key) {
  const Fact* found = find_fact(result.facts, key);
  return found != nullptr ? found->value : "<absent>";
}

class PackHttpStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& s = server_.server();
    s.Get("/stores", [this](const httplib::Request&, httplib::Response& res) {
      test::send_chunked(res, body_, 65536);
    });
    s.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content("store 42 not found", "text/plain");
    });
    s.Get("/first-then-hang", [this](const httplib::Request&, httplib::Response& res) {
      test::send_then_stall(res, "first piece", gate_, &first_piece_sent_);
    });
    server_.start();
  }
  void TearDown() override {
    gate_.open();
    server_.stop();
  }

  // Tells the control pack what its next run does and runs it.
  RunResult run(const std::string& command, RunControl& control) {
    test::write_file(command_file_, command + "\n");
    return instance_.run(check_index(instance_.pack(), "probe"),
                         {{"command_file", command_file_.string()}}, control);
  }
  RunResult run(const std::string& command, std::chrono::milliseconds timeout = 10s) {
    RunControl control;
    control.deadline = std::chrono::steady_clock::now() + timeout;
    return run(command, control);
  }

  const std::string body_ = test::patterned_body(2u * 1024 * 1024 + 3);
  test::TempDir dir_;
  const std::filesystem::path command_file_ = dir_ / "command";
  test::LoopbackServer server_;
  test::Gate gate_;
  std::atomic<bool> first_piece_sent_{false};
  PackInstance instance_{
      load(test::fixture_pack("control")), "t", {}, std::make_shared<http::Client>()};
};

TEST_F(PackHttpStreamTest, ALargeBodyReachesThePackInPiecesAndIsNotKept) {
  const RunResult result = run("stream " + server_.url("/stores"));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(fact(result, "stream_status"), "200");
  EXPECT_EQ(fact(result, "stream_bytes"), std::to_string(body_.size()));
  EXPECT_EQ(fact(result, "stream_fnv1a"), fnv1a(body_));
  EXPECT_GT(std::stoi(fact(result, "stream_pieces")), 1);
  EXPECT_EQ(fact(result, "stream_body"), "");
}

TEST_F(PackHttpStreamTest, AnErrorBodyIsKeptInTheResponseAndNotStreamed) {
  const RunResult result = run("stream " + server_.url("/missing"));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(fact(result, "stream_status"), "404");
  EXPECT_EQ(fact(result, "stream_body"), "store 42 not found");
  EXPECT_EQ(fact(result, "stream_pieces"), "0");
}

TEST_F(PackHttpStreamTest, APieceHandlersExceptionFailsTheRunAsItself) {
  const RunResult result = run("stream_throw " + server_.url("/stores") + " 1");
  EXPECT_FALSE(result.ok);
  // plugin.hpp rethrew the pack's own exception once the host returned.
  EXPECT_TRUE(result.error.starts_with("control: bad piece after ")) << result.error;
  EXPECT_TRUE(result.error.ends_with(" bytes")) << result.error;
  // The instance is still usable.
  EXPECT_TRUE(run("stream " + server_.url("/stores")).ok);
}

TEST_F(PackHttpStreamTest, ACallbackReturningZeroStopsTheTransfer) {
  const RunResult result = run("stream_stop " + server_.url("/stores") + " 1");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "control: the pack stopped reading the body");
  EXPECT_EQ(fact(result, "stream_status"), "0");
  EXPECT_EQ(fact(result, "stream_pieces"), "1");
}

TEST_F(PackHttpStreamTest, TheRunsDeadlineCutsAStreamShort) {
  // Long enough for the first piece to arrive however busy the machine, and
  // far shorter than the gate's 10 s, after which the body would complete.
  const RunResult result = run("stream " + server_.url("/first-then-hang"), 2s);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "control: timed out at the run's deadline");
  EXPECT_EQ(fact(result, "stream_bytes"), "11");
}

TEST_F(PackHttpStreamTest, CancellingTheRunStopsAStream) {
  RunControl control;
  control.deadline = std::chrono::steady_clock::now() + 30s;
  RunResult result;
  std::thread worker([&] { result = run("stream " + server_.url("/first-then-hang"), control); });
  ASSERT_TRUE(test::wait_until([this] { return first_piece_sent_.load(); }, 10s));
  control.cancelled = true;
  worker.join();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "control: the run was cancelled during the request");
}

TEST_F(PackHttpStreamTest, ARequestFromInsideTheCallbackFailsAndTheStreamGoesOn) {
  const RunResult result = run("stream_nested " + server_.url("/stores"));
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_EQ(fact(result, "nested_error"), "an HTTP request was made from inside a body callback");
  EXPECT_EQ(fact(result, "stream_fnv1a"), fnv1a(body_));
}

// --- plugin.hpp against a host table without http_stream --------------------

TEST(SdkHttpStream, AHostWithoutHttpStreamIsRefusedWithAClearMessage) {
  op_host_api api{};
  api.struct_size = offsetof(op_host_api, http_stream);  // a 1.0 host's table
  api.abi_major = 1;
  api.abi_minor = 0;
  EXPECT_FALSE(OP_HOST_API_HAS(&api, http_stream));
  opr::sdk::Run run(&api, nullptr, nullptr);
  opr::sdk::HttpRequest request;
  request.url = "http://127.0.0.1:1/";
  try {
    run.http_stream(request, [](std::string_view) {});
    FAIL() << "http_stream should have thrown";
  } catch (const opr::sdk::CheckFailed& e) {
    EXPECT_STREQ(e.what(),
                 "this operator-host (ABI 1.0) cannot stream a response body; it needs ABI 1.1");
  }
}

}  // namespace
}  // namespace opr::plugins
