// "Parameter values whose names contain password, token or secret are never
// logged or printed by the host, not even in error messages"
// (docs/configuration.md): for a parameter of every type the host reads
// (the `secrets` test pack declares one of each, numbers with a range),
// whatever is wrong with its value, and when nothing is, through
// `config check` and the monitor as a user runs them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using opr::test::CommandResult;
using opr::test::contains;
using opr::test::run_operator_host;

// `param: value` on line 6, and the text of it that must never be printed.
struct BadSecret {
  std::string name;
  std::string param;
  std::string value;
  std::string secret;
  int column;           // where the error points
  std::string message;  // what the error says instead (our words)
};

void PrintTo(const BadSecret& bad, std::ostream* out) { *out << bad.name; }

class SecretParams : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "packs");
    opr::test::copy_pack(opr::test::fixture_pack("secrets"), dir_ / "packs");
  }

  // A config whose one target sets `lines` (pack parameters, 4 spaces in).
  fs::path write_config(const std::string& lines) const {
    const fs::path config = dir_ / "operator.yaml";
    opr::test::write_file(config, "database: " + (dir_ / "tickets.db").string() +
                                      "\n"
                                      "plugin_dirs: [packs]\n"
                                      "targets:\n"
                                      "  - name: vault\n"
                                      "    pack: secrets\n" +
                                      lines);
    return config;
  }

  CommandResult host(const std::vector<std::string>& args) const {
    opr::test::ProcessOptions options;
    options.unset_env = {"OPERATOR_DB", "OPERATOR_PLUGIN_PATH"};
    return run_operator_host(args, options);
  }

  opr::test::TempDir dir_;
};

class BadSecretValue : public SecretParams, public ::testing::WithParamInterface<BadSecret> {};

// The error still says where and what is wrong, only never the value: from
// config check, from the monitor's start and from --once.
TEST_P(BadSecretValue, IsReportedAtItsLineWithoutTheValue) {
  const BadSecret& bad = GetParam();
  const fs::path config = write_config("    " + bad.param + ": " + bad.value + "\n");
  const std::string where = config.string() + ":6:" + std::to_string(bad.column) + ": ";
  for (const auto& args : {std::vector<std::string>{"config", "check", "--config", config.string()},
                           {"--config", config.string()},
                           {"--config", config.string(), "--once"}}) {
    const CommandResult result = host(args);
    const std::string command = args[0] == "config" ? "config check" : args.back();
    EXPECT_EQ(result.exit_code, args.back() == "--once" ? 3 : 1) << command << "\n" << result.err;
    EXPECT_TRUE(result.err.starts_with(where) || result.err.starts_with("operator-host: " + where))
        << command << "\n"
        << result.err;
    EXPECT_TRUE(contains(result.err, "'" + bad.param + "' in target 'vault'") &&
                contains(result.err, bad.message))
        << command << "\n"
        << result.err;
    EXPECT_FALSE(contains(result.out + result.err, bad.secret))
        << command << " printed the secret\n"
        << result.out << result.err;
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryType, BadSecretValue,
    ::testing::Values(
        BadSecret{"string_given_a_list", "api_token", "[s3cr3t-string]", "s3cr3t", 16,
                  "must be a string, got a list"},
        BadSecret{"int_not_a_number", "secret_port", "s3cr3t-int", "s3cr3t", 18,
                  "must be an int, got a value"},
        BadSecret{"int_out_of_range", "secret_port", "98765", "98765", 18,
                  "must be >= 1 and <= 65535, got a value"},
        BadSecret{"float_not_a_number", "token_ratio", "s3cr3t-float", "s3cr3t", 18,
                  "must be a number, got a value"},
        BadSecret{"float_out_of_range", "token_ratio", "7.25", "7.25", 18,
                  "must be >= 0 and <= 1, got a value"},
        BadSecret{"bool_neither_true_nor_false", "secret_flag", "s3cr3t-bool", "s3cr3t", 18,
                  "must be true or false, got a value"},
        BadSecret{"duration_without_a_unit", "token_ttl", "31337", "31337", 16,
                  "bad duration for 'token_ttl' in target 'vault': a duration needs a unit"},
        BadSecret{"duration_unreadable", "token_ttl", "s3cr3t-duration", "s3cr3t", 16,
                  "bad duration for 'token_ttl' in target 'vault': write a number and a unit"},
        BadSecret{"duration_out_of_range", "token_ttl", "97h", "97h", 16,
                  "must be >= 1s and <= 1h, got a value"},
        BadSecret{"list_given_a_scalar", "password_list", "s3cr3t-list", "s3cr3t", 20,
                  "must be a list such as [a, b]"},
        BadSecret{"list_item_not_a_string", "password_list", "[s3cr3t-item, {a: b}]", "s3cr3t", 34,
                  "must be a string, got a mapping"}),
    [](const ::testing::TestParamInfo<BadSecret>& info) { return info.param.name; });

// Valid secrets of every type are not printed either: not in the schedule
// config check prints, not in the monitor's log, even at debug.
TEST_F(SecretParams, ValidValuesAreNeverPrinted) {
  const fs::path config = write_config(
      "    api_token: s3cr3t-string\n"
      "    secret_port: 31337\n"
      "    token_ratio: 0.314159\n"
      "    secret_flag: true\n"
      "    token_ttl: 2718s\n"
      "    password_list: [s3cr3t-item, s3cr3t-other]\n");
  const std::vector<std::string> secrets = {"s3cr3t", "31337", "0.314159", "2718"};
  const CommandResult check = host({"config", "check", "--config", config.string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(contains(check.out, "vault   probe  yes")) << check.out;
  const CommandResult once = host({"--config", config.string(), "--once", "--log-level", "debug"});
  EXPECT_EQ(once.exit_code, 0) << once.out << once.err;
  EXPECT_TRUE(contains(once.out, "OK vault/probe")) << once.out;
  for (const auto& secret : secrets) {
    EXPECT_FALSE(contains(check.out + check.err, secret)) << secret << "\n"
                                                          << check.out << check.err;
    EXPECT_FALSE(contains(once.out + once.err, secret)) << secret << "\n" << once.out << once.err;
  }
}

}  // namespace
