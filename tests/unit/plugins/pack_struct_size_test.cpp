// The structs a pack hands the host during a run (op_violation to
// run_report, op_http_request to http_request and http_stream) below their
// ABI 1.0 size: the host reads none of their fields and the run fails,
// naming the struct and both sizes, even though the pack says OK. (What a
// descriptor declares too small, op_check_def and op_param_def included, is
// refused at load time: descriptor_validation_test.cpp.)
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "http/client.h"
#include "pack_run_helpers.h"
#include "plugins/pack_instance.h"
#include "test_support.h"

namespace opr::plugins {
namespace {

using namespace std::chrono_literals;

class PackStructSize : public ::testing::Test {
 protected:
  RunResult run(const std::string& check) {
    RunControl control;
    control.deadline = std::chrono::steady_clock::now() + 10s;
    return instance_.run(check_index(*pack_, check), {}, control);
  }

  std::shared_ptr<const LoadedPack> pack_ = load(test::fixture_pack("short_structs"));
  PackInstance instance_{pack_, "t", {}, std::make_shared<http::Client>()};
};

TEST_F(PackStructSize, AViolationBelowItsAbi10SizeFailsTheRunAndIsNotRecorded) {
  const RunResult result = run("short_violation");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "pack 'short_structs' broke the ABI: run_report: op_violation struct_size 40 is "
            "smaller than ABI "
            "1.0's 48");
  EXPECT_TRUE(result.violations.empty());
}

TEST_F(PackStructSize, AnHttpRequestBelowItsAbi10SizeFailsTheRun) {
  const RunResult result = run("short_request");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "pack 'short_structs' broke the ABI: http_request: op_http_request struct_size 56 is "
            "smaller than "
            "ABI 1.0's 64");
}

TEST_F(PackStructSize, AStreamedRequestBelowItsAbi10SizeFailsTheRun) {
  const RunResult result = run("short_stream");
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error,
            "pack 'short_structs' broke the ABI: http_stream: op_http_request struct_size 56 is "
            "smaller than "
            "ABI 1.0's 64");
}

}  // namespace
}  // namespace opr::plugins
