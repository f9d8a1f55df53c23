// The pieces behind the messages: ${VAR} substitution and "did you mean".
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "config/env_substitution.h"
#include "config/suggestion.h"
#include "test_support.h"

namespace opr::config {
namespace {

std::string substitute(const std::string& text) {
  const std::map<std::string, std::string> env = {{"HOST", "db1"}, {"PORT", "5432"}, {"EMPTY", ""}};
  return substitute_env(text, [&](const std::string& name) -> std::optional<std::string> {
    const auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

std::string substitution_error(const std::string& text) {
  return opr::test::error_of<std::invalid_argument>([&] { substitute(text); }, "(no error)");
}

TEST(EnvSubstitution, ReplacesVariablesAndDefaults) {
  EXPECT_EQ(substitute("${HOST}:${PORT}"), "db1:5432");
  EXPECT_EQ(substitute("${MISSING:-localhost}"), "localhost");
  EXPECT_EQ(substitute("${EMPTY:-fallback}"), "fallback") << "empty counts as unset, as in sh";
  EXPECT_EQ(substitute("${EMPTY}"), "");
  EXPECT_EQ(substitute("${HOST:-x}"), "db1");
  EXPECT_EQ(substitute("${MISSING:-}"), "");
  EXPECT_EQ(substitute("${MISSING:-a:-b}"), "a:-b");
}

TEST(EnvSubstitution, DollarsThatAreNotReferencesStay) {
  EXPECT_EQ(substitute("$$HOST"), "$HOST");
  EXPECT_EQ(substitute("$${HOST}"), "${HOST}");
  EXPECT_EQ(substitute("pa$word"), "pa$word");
  EXPECT_EQ(substitute("cost: 5$"), "cost: 5$");
  EXPECT_EQ(substitute("plain"), "plain");
}

TEST(EnvSubstitution, ErrorsNameTheProblem) {
  EXPECT_EQ(substitution_error("${MISSING}"),
            "environment variable 'MISSING' is not set (set it, or give a default: "
            "${MISSING:-value})");
  EXPECT_EQ(substitution_error("${HOST"),
            "unterminated '${' (close it with '}', or write $$ for a dollar)");
  EXPECT_EQ(substitution_error("${1X}"),
            "bad variable reference '${1X}': write ${NAME} or "
            "${NAME:-default}");
  EXPECT_EQ(substitution_error("${}"),
            "bad variable reference '${}': write ${NAME} or "
            "${NAME:-default}");
}

TEST(Suggestion, CatchesTyposButNotStrangers) {
  const std::vector<std::string> keys = {"enabled", "interval", "timeout", "grace", "severity"};
  EXPECT_EQ(closest_match("intreval", keys), "interval");
  EXPECT_EQ(closest_match("timout", keys), "timeout");
  EXPECT_EQ(closest_match("Severity", keys), "severity");
  EXPECT_EQ(closest_match("grase", keys), "grace");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
  EXPECT_EQ(closest_match("x", keys), std::nullopt);
  EXPECT_EQ(did_you_mean("enabel", keys), "; did you mean 'enabled'?");
  EXPECT_EQ(did_you_mean("zzz", keys), "");
}

TEST(Suggestion, EditDistanceCountsASwapOnce) {
  EXPECT_EQ(edit_distance("interval", "interval"), 0u);
  EXPECT_EQ(edit_distance("intreval", "interval"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Suggestion, JoinNames) {
  EXPECT_EQ(join_names({}), "none");
  EXPECT_EQ(join_names({"a", "b"}), "a, b");
}

}  // namespace
}  // namespace opr::config
