// One rule for secret names, one function that masks passwords in
// connection strings and in what database libraries say about them. The
// library texts below are libpq 15's own (psql -w CONNECTION printed them);
// tests/integration/tickets/connection_secrets_test.cpp gets them from the
// real libpq through SOCI.
#include "common/redaction.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace opr {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(SecretNames, OneRuleForEveryName) {
  for (const char* name : {"api_token", "DB_PASSWORD", "client_secret", "prometheus_password_file",
                           "passwd", "PWD", "pass", "Token"}) {
    EXPECT_TRUE(is_secret_name(name)) << name;
  }
  for (const char* name : {"threshold_ms", "user", "host", "passes", "bypass", "dbname", ""}) {
    EXPECT_FALSE(is_secret_name(name)) << name;
  }
}

TEST(MaskPasswords, UrlUserInformationKeepsTheUser) {
  EXPECT_EQ(mask_passwords("postgresql://alice:hunter2@db.example:5432/tickets"),
            "postgresql://alice:***@db.example:5432/tickets");
  EXPECT_EQ(mask_passwords("postgresql://alice@db/tickets"), "postgresql://alice@db/tickets");
  EXPECT_EQ(mask_passwords("postgresql://db:5432/tickets"), "postgresql://db:5432/tickets");
  // An '@' in the password (which should have been %40) is hidden too.
  EXPECT_EQ(mask_passwords("see postgresql://alice:p@ss@db/x and"),
            "see postgresql://alice:***@db/x and");
}

TEST(MaskPasswords, KeyValueFormsOfEveryQuoting) {
  EXPECT_EQ(mask_passwords("postgresql://dbname=x password=hunter2 host=z"),
            "postgresql://dbname=x password=*** host=z");
  EXPECT_EQ(mask_passwords("dbname=x password = 'hunter 2\\' too' host=z"),
            "dbname=x password = *** host=z");
  EXPECT_EQ(mask_passwords("db=x password=\"hunter 2\" user=y"), "db=x password=*** user=y");
  EXPECT_EQ(mask_passwords("DSN=x;UID=y;PWD=hunter2;"), "DSN=x;UID=y;PWD=***;");
  EXPECT_EQ(mask_passwords("postgresql://h/db?user=a&password=hunter2&sslmode=require"),
            "postgresql://h/db?user=a&password=***&sslmode=require");
  EXPECT_EQ(mask_passwords("x api_token=abc secret_key=def"), "x api_token=*** secret_key=***");
  // An unclosed quote hides everything after it.
  EXPECT_EQ(mask_passwords("host=z password='hunter2 port=1"), "host=z password=***");
  // Words that only look alike stay.
  EXPECT_EQ(mask_passwords("password authentication failed for user \"alice\""),
            "password authentication failed for user \"alice\"");
  EXPECT_EQ(mask_passwords("user=bypass=x"), "user=bypass=x");
}

TEST(MaskPasswords, SecretsFoundInTheConnectionAreHiddenAnywhere) {
  const std::string uri = "postgresql://alice:hun%zzter2@127.0.0.1:1/db";
  const std::vector<std::string> secrets = connection_secrets(uri);
  EXPECT_EQ(secrets, std::vector<std::string>{"hun%zzter2"});
  // libpq quotes the piece it could not decode, with no key or URL around it.
  EXPECT_EQ(mask_passwords("invalid percent-encoded token: \"hun%zzter2\"", secrets),
            "invalid percent-encoded token: \"***\"");

  const std::string encoded = "postgresql://alice:p%40ss%20w0rd@db/x";
  const std::vector<std::string> both = connection_secrets(encoded);
  EXPECT_EQ(both, (std::vector<std::string>{"p%40ss%20w0rd", "p@ss w0rd"}));
  EXPECT_EQ(mask_passwords("the server said p@ss w0rd is wrong", both),
            "the server said *** is wrong");

  const std::vector<std::string> quoted =
      connection_secrets("dbname=x password='it\\'s secret' host=z");
  EXPECT_TRUE(std::find(quoted.begin(), quoted.end(), "it's secret") != quoted.end());
}

TEST(MaskPasswords, RealLibpqErrorTexts) {
  struct Case {
    std::string connection;
    std::string error;  // as libpq 15 wrote it
    std::string password;
  };
  for (const Case& c : std::vector<Case>{
           {"postgresql://alice:hun%zzter2@127.0.0.1:1/db",
            "Cannot establish connection to the database.\ninvalid percent-encoded token: "
            "\"hun%zzter2\"\n",
            "hun%zzter2"},
           {"postgresql://alice:hunter2@[::1/db",
            "end of string reached when looking for matching \"]\" in IPv6 host address in "
            "URI: \"postgresql://alice:hunter2@[::1/db\"",
            "hunter2"},
           {"host=127.0.0.1 port=1 password=hunter2",
            "connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the "
            "server running on that host and accepting TCP/IP connections?",
            "hunter2"},
           {"postgresql://alice:hunter2@127.0.0.1:1/db",
            "connection to server at \"127.0.0.1\", port 1 failed: FATAL:  password "
            "authentication failed for user \"alice\"",
            "hunter2"},
       }) {
    const std::string shown = mask_passwords(c.error, connection_secrets(c.connection));
    EXPECT_FALSE(contains(shown, c.password)) << shown;
    // What the library says about everything else stays readable.
    EXPECT_TRUE(contains(shown, "127.0.0.1") || contains(shown, "::1") ||
                contains(shown, "invalid percent-encoded token"))
        << shown;
  }
}

TEST(MaskPasswords, MaskingTwiceChangesNothingMore) {
  const std::string once = mask_passwords("postgresql://a:b@h/d?password=c x password='d e'");
  EXPECT_EQ(once, "postgresql://a:***@h/d?password=*** x password=***");
  EXPECT_EQ(mask_passwords(once, connection_secrets(once)), once);
  EXPECT_TRUE(connection_secrets(once).empty());
}

}  // namespace
}  // namespace opr
