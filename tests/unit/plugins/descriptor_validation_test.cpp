#include "plugins/descriptor_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opr::plugins {
namespace {

op_pack_instance* create(const op_host_api*, const op_params*, char*, size_t) { return nullptr; }
void destroy(op_pack_instance*) {}
int32_t run(op_pack_instance*, uint32_t, const op_params*, op_run*) { return OP_RUN_OK; }

op_param_def param(const char* name, int32_t type, const char* default_value,
                   int32_t required = 0) {
  return {sizeof(op_param_def), name, type, default_value, required, "doc"};
}

// A valid descriptor that each test breaks in one way.
class DescriptorValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    check_params_ = {param("url", OP_PARAM_STRING, nullptr, 1),
                     param("limit", OP_PARAM_INT, "10"),
                     param("ratio", OP_PARAM_FLOAT, "0.5"),
                     param("strict", OP_PARAM_BOOL, "true"),
                     param("max_age", OP_PARAM_DURATION, "1h30m"),
                     param("statuses", OP_PARAM_STRING_LIST, "200,204")};
    checks_ = {{sizeof(op_check_def), "first", "one", OP_SEVERITY_WARNING, 1000, 0, nullptr, 0},
               {sizeof(op_check_def), "second", "two", OP_SEVERITY_CRITICAL, 0, 0, nullptr, 0}};
    d_ = {sizeof(op_pack_descriptor),
          OP_ABI_MAJOR,
          OP_ABI_MINOR,
          "my_pack",
          "1.0.0",
          "d",
          nullptr,
          0,
          nullptr,
          0,
          &create,
          &destroy,
          &run};
    link();
  }
  void link() {
    checks_[1].params = check_params_.data();
    checks_[1].param_count = static_cast<uint32_t>(check_params_.size());
    d_.checks = checks_.data();
    d_.check_count = static_cast<uint32_t>(checks_.size());
  }
  std::string error() {
    link();
    const auto e = validate_descriptor(d_);
    return e ? *e : "";
  }

  std::vector<op_param_def> check_params_;
  std::vector<op_check_def> checks_;
  op_pack_descriptor d_{};
};

TEST_F(DescriptorValidationTest, AcceptsAValidDescriptor) { EXPECT_EQ(error(), ""); }

TEST_F(DescriptorValidationTest, RefusesBadPackNames) {
  for (const char* name : {"", "My-Pack", "pack name", "é"}) {
    d_.name = name;
    EXPECT_NE(error().find("must match [a-z0-9_]+"), std::string::npos) << name;
  }
  d_.name = nullptr;
  EXPECT_NE(error().find("must match"), std::string::npos);
}

TEST_F(DescriptorValidationTest, RefusesDuplicateCheckNames) {
  checks_[1].name = "first";
  EXPECT_NE(error().find("'first': check name is declared twice"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, RefusesAPackWithoutChecks) {
  link();
  d_.check_count = 0;
  EXPECT_EQ(validate_descriptor(d_).value_or(""), "the pack declares no checks");
}

TEST_F(DescriptorValidationTest, RefusesParametersNamedLikeEngineSettings) {
  for (const char* name :
       {"enabled", "interval", "timeout", "grace", "severity", "name", "pack", "checks"}) {
    check_params_[1].name = name;
    EXPECT_NE(error().find("taken by an engine setting"), std::string::npos) << name;
  }
}

TEST_F(DescriptorValidationTest, RefusesDuplicateParameterNames) {
  check_params_[2].name = "limit";
  EXPECT_NE(error().find("'limit': name is declared twice"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, RefusesUnknownParameterTypes) {
  check_params_[1].type = 99;
  EXPECT_NE(error().find("unknown type 99"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, RefusesDefaultsThatDoNotParse) {
  check_params_[1].default_value = "ten";
  EXPECT_NE(error().find("default \"ten\" is not a valid int"), std::string::npos) << error();
  check_params_[1].default_value = "10";
  check_params_[4].default_value = "soon";
  EXPECT_NE(error().find("not a valid duration"), std::string::npos) << error();
  check_params_[4].default_value = "1h";
  check_params_[3].default_value = "yes";
  EXPECT_NE(error().find("not a valid bool"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, RefusesRequiredParametersWithDefaults) {
  check_params_[0].default_value = "http://x";
  EXPECT_NE(error().find("required parameter must not have a default"), std::string::npos);
}

TEST_F(DescriptorValidationTest, RefusesMissingFunctions) {
  d_.run = nullptr;
  EXPECT_EQ(error(), "create, destroy and run must all be set");
}

TEST_F(DescriptorValidationTest, RefusesBadSeverities) {
  checks_[0].default_severity = 0;
  EXPECT_NE(error().find("default_severity 0"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, RefusesTooSmallStructs) {
  d_.struct_size = 8;
  EXPECT_NE(error().find("struct_size 8"), std::string::npos) << error();
}

TEST_F(DescriptorValidationTest, PackLevelParametersFollowTheSameRules) {
  const op_param_def pack_params[] = {param("timeout", OP_PARAM_DURATION, "5s")};
  d_.params = pack_params;
  d_.param_count = 1;
  EXPECT_NE(error().find("pack parameter #0 'timeout'"), std::string::npos) << error();
}

TEST(AbiVersion, AcceptsSameMajorAndOlderOrEqualMinor) {
  EXPECT_FALSE(check_abi_version(OP_ABI_MAJOR, OP_ABI_MINOR));
  EXPECT_FALSE(check_abi_version(OP_ABI_MAJOR, 0));
}

TEST(AbiVersion, ExplainsANewerMinor) {
  const auto error = check_abi_version(OP_ABI_MAJOR, OP_ABI_MINOR + 1);
  ASSERT_TRUE(error);
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  EXPECT_EQ(*error, "pack ABI " + std::to_string(OP_ABI_MAJOR) + "." +
                        std::to_string(OP_ABI_MINOR + 1) + " is newer than this host's " + host +
                        "; rebuild the pack against SDK " + host + " or upgrade operator-host");
}

TEST(AbiVersion, ExplainsAnotherMajor) {
  const auto error = check_abi_version(OP_ABI_MAJOR + 1, 0);
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("major versions differ"), std::string::npos) << *error;
}

}  // namespace
}  // namespace opr::plugins
