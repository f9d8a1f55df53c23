// Packs built years ago keep loading: the same pack source built against the
// frozen 1.0, 1.1 and 1.2 headers and against the SDK's own loads and runs in
// this host, its structs read by the sizes it was built with; built against
// a next minor whose structs grew, it is refused by its version.
#include <gtest/gtest.h>
#include <operator/plugin.h>

#include <chrono>
#include <string>

#include "pack_run_helpers.h"
#include "plugins/pack_instance.h"
#include "test_support.h"

namespace opr::plugins {
namespace {

using namespace std::chrono_literals;

struct Build {
  std::string pack;
  int minor;
};

void PrintTo(const Build& build, std::ostream* out) { *out << build.pack; }

class AbiVersionsTest : public ::testing::TestWithParam<Build> {};

TEST_P(AbiVersionsTest, APackBuiltAgainstThisVersionLoadsAndRuns) {
  const auto pack = load(test::fixture_pack(GetParam().pack));
  ASSERT_TRUE(pack->ok()) << pack->error;
  const PackDeclaration& declaration = *pack->declaration;
  EXPECT_EQ(declaration.abi_major, 1);
  EXPECT_EQ(declaration.abi_minor, GetParam().minor);
  ASSERT_EQ(declaration.checks.size(), 2u);
  EXPECT_EQ(declaration.checks[1].name, "quiet");
  EXPECT_EQ(declaration.checks[1].default_severity, OP_SEVERITY_CRITICAL);
  ASSERT_EQ(declaration.checks[0].params.size(), 2u);
  EXPECT_EQ(declaration.checks[0].params[1].name, "limit");
  EXPECT_EQ(declaration.checks[0].params[1].default_value, "7");
  EXPECT_TRUE(declaration.checks[0].params[1].bounds.empty());

  PackInstance instance(pack, "t", {{"label", std::string("L")}}, nullptr);
  RunControl control;
  control.deadline = std::chrono::steady_clock::now() + 10s;
  const RunResult result =
      instance.run(0, {{"subject", std::string("x")}, {"limit", int64_t{42}}}, control);
  ASSERT_TRUE(result.ok) << result.error;
  ASSERT_EQ(result.violations.size(), 1u);
  EXPECT_EQ(result.violations[0].subject, "x");
  EXPECT_EQ(result.violations[0].message, "limit=42 label=L");
}

// A failure names its cause from 1.3 on (run_fail_cause); an older pack's
// has none, so its failures keep counting toward the check's own ticket.
TEST_P(AbiVersionsTest, AFailedRunHasACauseOnlyFrom13On) {
  const auto pack = load(test::fixture_pack(GetParam().pack));
  ASSERT_TRUE(pack->ok()) << pack->error;
  PackInstance instance(pack, "t", {{"label", std::string("L")}}, nullptr);
  RunControl control;
  control.deadline = std::chrono::steady_clock::now() + 10s;
  const RunResult result =
      instance.run(0, {{"subject", std::string("fail")}, {"limit", int64_t{1}}}, control);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.error, "limit=1 label=L");
  EXPECT_EQ(result.cause, GetParam().minor >= 3 ? "dep:L" : "");
}

INSTANTIATE_TEST_SUITE_P(Headers, AbiVersionsTest,
                         ::testing::Values(Build{"abi_1_0", 0}, Build{"abi_1_1", 1},
                                           Build{"abi_1_2", 2}, Build{"abi_current", OP_ABI_MINOR}),
                         [](const auto& info) { return info.param.pack; });

TEST(AbiVersions, APackOfTheNextMinorIsRefusedByItsVersion) {
  const auto file = test::fixture_pack("abi_next");
  const LoadedPack pack = load_pack(file);
  EXPECT_FALSE(pack.ok());
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  EXPECT_EQ(pack.error, file.string() + ": pack ABI " + std::to_string(OP_ABI_MAJOR) + "." +
                            std::to_string(OP_ABI_MINOR + 1) + " is newer than this host's " +
                            host + "; rebuild the pack against SDK " + host +
                            " or upgrade operator-host");
}

}  // namespace
}  // namespace opr::plugins
