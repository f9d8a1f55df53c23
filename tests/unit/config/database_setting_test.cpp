// The config's `database`: a connection string, or one with the file that
// holds its password (which joins the string as libpq reads it).
#include "config/database_setting.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "config/config.h"
#include "test_support.h"

namespace opr::config {
namespace {

using opr::test::error_of;

std::optional<std::string> database_of(const opr::test::TempDir& dir, const std::string& yaml) {
  opr::test::write_file(dir / "operator.yaml", yaml);
  return database(*read_config(dir / "operator.yaml"));
}

TEST(DatabaseSetting, APasswordFileJoinsAUriAsAQueryParameter) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "db-password", "p@ss w/rd&x\n");
  EXPECT_EQ(
      database_of(dir,
                  "database:\n  connection: postgresql://operator@db1:5432/ops?sslmode=require\n"
                  "  password_file: db-password\n"),
      "postgresql://operator@db1:5432/ops?sslmode=require&password=p%40ss%20w%2Frd%26x");
  EXPECT_EQ(database_of(dir,
                        "database:\n  connection: postgresql://operator@db1/ops\n"
                        "  password_file: " +
                            (dir / "db-password").string() + "\n"),
            "postgresql://operator@db1/ops?password=p%40ss%20w%2Frd%26x");
}

TEST(DatabaseSetting, APasswordFileJoinsKeyValuePairsQuoted) {
  EXPECT_EQ(with_password("postgresql://host=db1 dbname=ops", "it's\\x"),
            "postgresql://host=db1 dbname=ops password='it\\'s\\\\x'");
  EXPECT_THROW(with_password("postgresql://host=db1", "a b"), std::invalid_argument);
}

TEST(DatabaseSetting, AMappingWithoutAPasswordFileIsItsConnection) {
  opr::test::TempDir dir;
  EXPECT_EQ(database_of(dir, "database:\n  connection: tickets.db\n"),
            (dir / "tickets.db").string());
}

TEST(DatabaseSetting, MistakesAreRefusedWithoutShowingThePassword) {
  opr::test::TempDir dir;
  opr::test::write_file(dir / "db-password", "s3cret-in-file\n");
  const auto error = [&](const std::string& yaml) {
    return error_of<ConfigError>([&] { database_of(dir, yaml); });
  };
  EXPECT_TRUE(opr::test::contains(
      error("database:\n  connection: tickets.db\n  password_file: db-password\n"),
      "only a postgresql:// connection takes a password_file"));
  EXPECT_TRUE(opr::test::contains(
      error("database:\n  connection: postgresql://db1/ops\n  password_file: missing\n"),
      "cannot read the database password file"));
  EXPECT_TRUE(opr::test::contains(error("database:\n  password_file: db-password\n"),
                                  "'database' needs 'connection'"));
  opr::test::write_file(dir / "blank", "a b\n");
  const std::string blank =
      error("database:\n  connection: postgresql://host=db1\n  password_file: blank\n");
  EXPECT_TRUE(opr::test::contains(blank, "needs the URI form")) << blank;
  EXPECT_FALSE(opr::test::contains(blank, "a b")) << blank;
}

}  // namespace
}  // namespace opr::config
