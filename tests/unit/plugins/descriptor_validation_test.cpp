#include "plugins/descriptor_validation.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <variant>
#include <vector>

namespace opr::plugins {
namespace {

op_pack_instance* create(const op_host_api*, const op_params*, char*, size_t) { return nullptr; }
void destroy(op_pack_instance*) {}
int32_t run(op_pack_instance*, uint32_t, const op_params*, op_run*) { return OP_RUN_OK; }

op_param_def param(const char* name, int32_t type, const char* default_value,
                   int32_t required = 0) {
  op_param_def p{};
  p.struct_size = sizeof p;
  p.name = name;
  p.type = type;
  p.default_value = default_value;
  p.required = required;
  p.doc = "doc";
  return p;
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
    const auto read = read_descriptor(d_);
    const auto* e = std::get_if<std::string>(&read);
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
  const auto read = read_descriptor(d_);
  EXPECT_EQ(std::get<std::string>(read), "the pack declares no checks");
}

TEST_F(DescriptorValidationTest, RefusesParametersNamedLikeEngineSettings) {
  for (const char* name : {"enabled", "interval", "timeout", "grace", "severity", "failed_severity",
                           "name", "pack", "checks"}) {
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

// A secret-named parameter's default is never quoted, whatever its type and
// whatever is wrong with it (is_secret_name, the host's one rule).
TEST_F(DescriptorValidationTest, ABadSecretDefaultIsNotQuoted) {
  const struct {
    const char* name;
    int32_t type;
    const char* value;
    const char* problem;
  } cases[] = {
      {"api_token", OP_PARAM_INT, "hunter2-int", "is not a valid int"},
      {"client_secret", OP_PARAM_DURATION, "hunter2-SECRET", "is not a valid duration"},
      {"password_on", OP_PARAM_BOOL, "hunter2-bool", "is not a valid bool"},
      {"token_ratio", OP_PARAM_FLOAT, "hunter2.5", "is not a valid float"},
  };
  for (const auto& c : cases) {
    check_params_[1] = param(c.name, c.type, c.value);
    const std::string message = error();
    EXPECT_NE(message.find(std::string("default ") + c.problem), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  }
  check_params_[1] = param("secret_ratio", OP_PARAM_FLOAT, "2");
  check_params_[1].min_value = "0";
  check_params_[1].max_value = "1";
  const std::string outside = error();
  EXPECT_NE(outside.find("default is outside its bounds"), std::string::npos) << outside;
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

TEST_F(DescriptorValidationTest, RefusesStructsSmallerThanAbi10NamingTheStruct) {
  d_.struct_size = 8;
  EXPECT_EQ(error(), "op_pack_descriptor struct_size 8 is smaller than ABI 1.0's 88");
  d_.struct_size = sizeof(op_pack_descriptor);
  checks_[0].struct_size = checks_[1].struct_size = 40;
  EXPECT_EQ(error(), "check #0: op_check_def struct_size 40 is smaller than ABI 1.0's 64");
  checks_[0].struct_size = checks_[1].struct_size = sizeof(op_check_def);
  for (auto& p : check_params_) p.struct_size = 24;
  EXPECT_EQ(error(),
            "check 'second': parameter #0: op_param_def struct_size 24 is smaller than ABI "
            "1.0's 48");
}

TEST_F(DescriptorValidationTest, RefusesAnArrayWhoseElementsDeclareDifferentSizes) {
  checks_[1].struct_size = sizeof(op_check_def) + 8;
  EXPECT_NE(error().find("check #1 'second': struct_size 72 differs from the array's element "
                         "size 64 (checks[0].struct_size)"),
            std::string::npos)
      << error();
}

// A 1.0 or 1.1 pack's op_param_def ends before 1.2's bounds: it is read up
// to its own size, and its parameters have no bounds.
TEST_F(DescriptorValidationTest, ReadsParametersOfA10PackWithoutBounds) {
  struct Param10 {
    op_param_def def;  // only the first kParamDefSize10 bytes are the pack's
  };
  std::vector<unsigned char> storage(kParamDefSize10 * 2, 0xff);  // garbage past 1.0's end
  op_param_def first = param("limit", OP_PARAM_INT, "10");
  op_param_def second = param("label", OP_PARAM_STRING, nullptr);
  first.struct_size = second.struct_size = kParamDefSize10;
  std::memcpy(storage.data(), &first, kParamDefSize10);
  std::memcpy(storage.data() + kParamDefSize10, &second, kParamDefSize10);
  checks_[1].params = reinterpret_cast<const op_param_def*>(storage.data());
  checks_[1].param_count = 2;
  d_.checks = checks_.data();
  d_.check_count = 2;
  const auto read = read_descriptor(d_);
  ASSERT_TRUE(std::holds_alternative<PackDeclaration>(read)) << std::get<std::string>(read);
  const auto& params = std::get<PackDeclaration>(read).checks[1].params;
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].name, "limit");
  EXPECT_EQ(params[1].name, "label");
  EXPECT_TRUE(params[0].bounds.empty());
}

// A pack built against a later header whose structs grew: fields this host
// does not know are skipped, elements found at the declared size.
TEST_F(DescriptorValidationTest, StepsThroughLargerElementsByTheirDeclaredSize) {
  struct LargerCheck {
    op_check_def def;
    uint64_t added_later[3];
  };
  LargerCheck larger[2] = {};
  for (int i = 0; i < 2; ++i) {
    larger[i].def = checks_[static_cast<size_t>(i)];
    larger[i].def.struct_size = sizeof(LargerCheck);
    larger[i].added_later[0] = 0xdeadbeef;
  }
  d_.checks = &larger[0].def;
  d_.check_count = 2;
  const auto read = read_descriptor(d_);
  ASSERT_TRUE(std::holds_alternative<PackDeclaration>(read)) << std::get<std::string>(read);
  const auto& checks = std::get<PackDeclaration>(read).checks;
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].name, "first");
  EXPECT_EQ(checks[1].name, "second");
  EXPECT_EQ(checks[1].default_severity, OP_SEVERITY_CRITICAL);
}

TEST_F(DescriptorValidationTest, ReadsBoundsAndRefusesDefaultsOutsideThem) {
  check_params_[2].min_value = "0";
  check_params_[2].max_value = "1";
  check_params_[2].bounds = OP_PARAM_MIN_EXCLUSIVE;
  link();
  const auto read = read_descriptor(d_);
  ASSERT_TRUE(std::holds_alternative<PackDeclaration>(read)) << std::get<std::string>(read);
  const ParamBounds& bounds = std::get<PackDeclaration>(read).checks[1].params[2].bounds;
  EXPECT_EQ(bounds.describe(), "> 0 and <= 1");
  EXPECT_FALSE(bounds.violation(ParamValue(1.0)));
  EXPECT_TRUE(bounds.violation(ParamValue(0.0)));

  check_params_[2].default_value = "2";
  EXPECT_NE(error().find("default \"2\" is outside its bounds (> 0 and <= 1)"), std::string::npos)
      << error();
}

TEST_F(DescriptorValidationTest, RefusesBoundsThatCannotHold) {
  check_params_[5].min_value = "1";  // a string list
  EXPECT_NE(error().find("only int, float and duration parameters may have bounds"),
            std::string::npos)
      << error();
  check_params_[5].min_value = nullptr;
  check_params_[1].min_value = "ten";
  EXPECT_NE(error().find("min_value \"ten\" is not a valid int"), std::string::npos) << error();
  check_params_[1].min_value = "20";
  check_params_[1].max_value = "5";
  EXPECT_NE(error().find("no value is inside the bounds (>= 20 and <= 5)"), std::string::npos)
      << error();
  check_params_[1].min_value = nullptr;
  check_params_[1].max_value = nullptr;
  check_params_[1].bounds = 4;
  EXPECT_NE(error().find("bounds has unknown flags 4"), std::string::npos) << error();
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

TEST(AbiVersion, ExplainsAnotherMajorAndHowToFixIt) {
  const auto error = check_abi_version(OP_ABI_MAJOR + 1, 0);
  ASSERT_TRUE(error);
  const std::string host = std::to_string(OP_ABI_MAJOR) + "." + std::to_string(OP_ABI_MINOR);
  const std::string next = std::to_string(OP_ABI_MAJOR + 1);
  EXPECT_EQ(*error, "pack ABI " + next + ".0 is incompatible with this host's " + host +
                        " (the major versions differ); rebuild the pack against SDK " + host +
                        " or use an operator-host of ABI " + next + ".x");
}

}  // namespace
}  // namespace opr::plugins
