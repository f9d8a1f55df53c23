// Which database a command uses: --db, the config, $OPERATOR_DB, the state folder.
#include <gtest/gtest.h>

#include <cstdlib>

#include "cli/database_location.h"

namespace opr::cli {
namespace {

class DatabaseLocation : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("OPERATOR_DB");
    ::unsetenv("XDG_STATE_HOME");
    ::setenv("HOME", "/home/alice", 1);
  }
};

TEST_F(DatabaseLocation, DbOptionWinsOverEverything) {
  ::setenv("OPERATOR_DB", "/env.db", 1);
  EXPECT_EQ(database_location("/cli.db", "/config.db"), "/cli.db");
}

TEST_F(DatabaseLocation, ThenTheConfig) {
  ::setenv("OPERATOR_DB", "/env.db", 1);
  EXPECT_EQ(database_location(std::nullopt, "sqlite3://db=/config.db"), "sqlite3://db=/config.db");
}

TEST_F(DatabaseLocation, ThenTheEnvironment) {
  ::setenv("OPERATOR_DB", "/env.db", 1);
  ::setenv("XDG_STATE_HOME", "/state", 1);
  EXPECT_EQ(database_location(std::nullopt, std::nullopt), "/env.db");
  EXPECT_EQ(database_location("", ""), "/env.db");  // empty means unset
}

TEST_F(DatabaseLocation, ThenTheXdgStateFolder) {
  ::setenv("XDG_STATE_HOME", "/state", 1);
  EXPECT_EQ(database_location(std::nullopt, std::nullopt), "/state/operator/tickets.db");
}

TEST_F(DatabaseLocation, ElseTheHomeStateFolder) {
  EXPECT_EQ(database_location(std::nullopt, std::nullopt),
            "/home/alice/.local/state/operator/tickets.db");
  ::setenv("XDG_STATE_HOME", "relative", 1);  // the XDG spec says to ignore it
  EXPECT_EQ(database_location(std::nullopt, std::nullopt),
            "/home/alice/.local/state/operator/tickets.db");
}

}  // namespace
}  // namespace opr::cli
