// Severities as configs write them and tickets show them.
#include "common/severity.h"

#include <operator/plugin.h>

#include <gtest/gtest.h>

#include <cstdint>

namespace opr {
namespace {

TEST(Severity, NamesRoundTrip) {
  for (const auto severity : {Severity::info, Severity::warning, Severity::critical}) {
    EXPECT_EQ(parse_severity(to_string(severity)), severity);
  }
  EXPECT_EQ(to_string(Severity::critical), "critical");
}

TEST(Severity, RejectsOtherWords) {
  EXPECT_EQ(parse_severity("urgent"), std::nullopt);
  EXPECT_EQ(parse_severity("Critical"), std::nullopt);
  EXPECT_EQ(parse_severity(""), std::nullopt);
}

TEST(Severity, MatchesTheAbiValuesAndOrder) {
  EXPECT_EQ(static_cast<int>(Severity::info), OP_SEVERITY_INFO);
  EXPECT_EQ(static_cast<int>(Severity::warning), OP_SEVERITY_WARNING);
  EXPECT_EQ(static_cast<int>(Severity::critical), OP_SEVERITY_CRITICAL);
  EXPECT_LT(Severity::warning, Severity::critical) << "the worst severity is the largest";
}

// A pack's op_severity: the known three, anything else (0 included) means
// the check's configured one.
TEST(Severity, ReadsAPacksOpSeverity) {
  EXPECT_EQ(severity_from_abi(OP_SEVERITY_INFO), Severity::info);
  EXPECT_EQ(severity_from_abi(OP_SEVERITY_CRITICAL), Severity::critical);
  for (const int32_t other : {0, -1, 4, 42, INT32_MIN, INT32_MAX}) {
    EXPECT_EQ(severity_from_abi(other), std::nullopt) << other;
    EXPECT_EQ(effective_severity(other, Severity::info), Severity::info) << other;
  }
  EXPECT_EQ(effective_severity(OP_SEVERITY_WARNING, Severity::critical), Severity::warning);
}

}  // namespace
}  // namespace opr
