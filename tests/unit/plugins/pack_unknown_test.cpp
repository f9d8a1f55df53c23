// ABI 1.2 through the real host services table: a run names the subjects it
// could not see (run_unknown), and create() names the parameter it refuses
// (param_invalid). The `control` test pack does what its files say.
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

class PackUnknownTest : public ::testing::Test {
 protected:
  RunResult run(const std::string& commands) {
    test::write_file(command_file_, commands);
    RunControl control;
    control.deadline = std::chrono::steady_clock::now() + 10s;
    return instance_.run(check_index(instance_.pack(), "probe"),
                         {{"command_file", command_file_.string()}}, control);
  }

  test::TempDir dir_;
  const std::filesystem::path command_file_ = dir_ / "command";
  PackInstance instance_{
      load(test::fixture_pack("control")), "t", {}, std::make_shared<http::Client>()};
};

TEST_F(PackUnknownTest, AnOkRunCarriesTheSubjectsItCouldNotSeeWithTheirReasons) {
  const RunResult result =
      run("violate 1 warning one is broken\n"
          "unknown 3 store 3 is Disconnected\n"
          "unknown - the whole target is dark\n");
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  ASSERT_EQ(result.unknown.size(), 2u);
  EXPECT_EQ(result.unknown[0].subject, "3");
  EXPECT_EQ(result.unknown[0].reason, "store 3 is Disconnected");
  EXPECT_EQ(result.unknown[1].subject, "");
  EXPECT_EQ(result.unknown[1].reason, "the whole target is dark");
}

TEST_F(PackUnknownTest, TheLastReasonForASubjectWinsAndAReportedSubjectIsNotUnknown) {
  const RunResult result =
      run("unknown 3 first reason\n"
          "unknown 3 second reason\n"
          "unknown 1 cannot see it\n"
          "violate 1 warning but it is broken\n");
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.unknown.size(), 1u);
  EXPECT_EQ(result.unknown[0].subject, "3");
  EXPECT_EQ(result.unknown[0].reason, "second reason");
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, "1");
}

class PackCreateTest : public ::testing::Test {
 protected:
  test::TempDir dir_;
  const std::filesystem::path lifecycle_ = dir_ / "lifecycle";
};

TEST_F(PackCreateTest, ARefusedParameterIsNamedWithTheReason) {
  test::write_file(lifecycle_, "create refuse lifecycle_file the scheme must be http or https\n");
  try {
    PackInstance instance(load(test::fixture_pack("control")), "t",
                          {{"lifecycle_file", lifecycle_.string()}}, nullptr);
    FAIL() << "create() succeeded";
  } catch (const InstanceError& e) {
    EXPECT_EQ(std::string(e.what()),
              "pack 'control' could not create an instance for target 't': the scheme must be "
              "http or https");
    ASSERT_TRUE(e.param());
    EXPECT_EQ(*e.param(), "lifecycle_file");
  }
}

TEST_F(PackCreateTest, AnOrdinaryRefusalBlamesNoParameter) {
  try {
    PackInstance instance(load(test::fixture_pack("throws")), "t", {{"explode", true}}, nullptr);
    FAIL() << "create() succeeded";
  } catch (const InstanceError& e) {
    EXPECT_NE(std::string(e.what()).find("explode was set"), std::string::npos) << e.what();
    EXPECT_FALSE(e.param());
  }
}

}  // namespace
}  // namespace opr::plugins
