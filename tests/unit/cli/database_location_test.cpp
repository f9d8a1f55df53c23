// Which database a command uses: --db, the config, $OPERATOR_DB, the state folder.
#include <gtest/gtest.h>

#include "cli/database_location.h"
#include "test_support.h"

namespace opr::cli {
namespace {

// Each test starts without OPERATOR_DB and XDG_STATE_HOME, with HOME
// /home/alice; all three are put back when it ends.
class DatabaseLocation : public ::testing::Test {
 protected:
  opr::test::ScopedEnv operator_db_{"OPERATOR_DB", nullptr};
  opr::test::ScopedEnv xdg_state_home_{"XDG_STATE_HOME", nullptr};
  opr::test::ScopedEnv home_{"HOME", "/home/alice"};
  opr::test::ScopedEnv operator_config_{"OPERATOR_CONFIG", nullptr};
};

TEST_F(DatabaseLocation, DbOptionWinsOverEverything) {
  operator_db_.set("/env.db");
  EXPECT_EQ(database_location("/cli.db", "/config.db"), "/cli.db");
}

TEST_F(DatabaseLocation, ThenTheConfig) {
  operator_db_.set("/env.db");
  EXPECT_EQ(database_location(std::nullopt, "sqlite3://db=/config.db"), "sqlite3://db=/config.db");
}

TEST_F(DatabaseLocation, ThenTheEnvironment) {
  operator_db_.set("/env.db");
  xdg_state_home_.set("/state");
  EXPECT_EQ(database_location(std::nullopt, std::nullopt), "/env.db");
  EXPECT_EQ(database_location("", ""), "/env.db");  // empty means unset
}

TEST_F(DatabaseLocation, ThenTheXdgStateFolder) {
  xdg_state_home_.set("/state");
  EXPECT_EQ(database_location(std::nullopt, std::nullopt), "/state/operator/tickets.db");
}

TEST_F(DatabaseLocation, ElseTheHomeStateFolder) {
  EXPECT_EQ(database_location(std::nullopt, std::nullopt),
            "/home/alice/.local/state/operator/tickets.db");
  xdg_state_home_.set("relative");  // the XDG spec says to ignore it
  EXPECT_EQ(database_location(std::nullopt, std::nullopt),
            "/home/alice/.local/state/operator/tickets.db");
}

TEST_F(DatabaseLocation, TicketsReadOperatorConfigWhenSetNoneWhenEmptyAndNoneUnderOperatorDb) {
  operator_config_.set("/srv/operator.yaml");
  EXPECT_EQ(default_config(), std::filesystem::path("/srv/operator.yaml"));
  operator_config_.set("");
  EXPECT_EQ(default_config(), std::nullopt);
  operator_config_.set("/srv/operator.yaml");
  operator_db_.set("/env.db");  // $OPERATOR_DB names the database: no config is read for it
  EXPECT_EQ(default_config(), std::nullopt);
}

TEST_F(DatabaseLocation, ABuildTreeHostHasNoInstalledConfig) {
  // This test binary is not installed: nothing beside it is its config.
  EXPECT_EQ(default_config(), std::nullopt);
}

}  // namespace
}  // namespace opr::cli
