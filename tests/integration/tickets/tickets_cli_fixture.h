// A test of `operator-host tickets ...` against an SQLite file of its own,
// seeded from another process (tickets_writer) as the monitor would.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "test_support.h"

namespace opr::test {

class TicketsCli : public ::testing::Test {
 protected:
  std::string db() const { return (dir_ / "tickets.db").string(); }

  // Without the caller's OPERATOR_DB, COLUMNS and NO_COLOR, which would
  // change what the host prints.
  CommandResult host(const std::vector<std::string>& args, ProcessOptions options = {}) {
    for (const char* name : {"OPERATOR_DB", "COLUMNS", "NO_COLOR"}) {
      if (!options.env.count(name)) options.unset_env.push_back(name);
    }
    return run_operator_host(args, options);
  }
  // `operator-host --db DB tickets ARGS...`
  CommandResult tickets(const std::vector<std::string>& args, ProcessOptions options = {}) {
    std::vector<std::string> all{"--db", db(), "tickets"};
    all.insert(all.end(), args.begin(), args.end());
    return host(all, options);
  }
  // One successful run of target/check reporting `subjects`
  // (SUBJECT[=MESSAGE]), critical, now.
  void seed(const std::string& target, const std::string& check,
            const std::vector<std::string>& subjects) {
    write({"seed", target, check}, subjects);
  }
  // The same, of `severity`, run `ago` (a duration: "3h") before now.
  void seed_as(const std::string& severity, const std::string& ago, const std::string& target,
               const std::string& check, const std::vector<std::string>& subjects) {
    write({"seed-as", severity, ago, target, check}, subjects);
  }
  nlohmann::json json_of(const std::vector<std::string>& args) {
    const auto result = tickets(args);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return nlohmann::json::parse(result.out);
  }
  // The IDs `tickets ARGS... --json` lists, in its order.
  std::vector<int64_t> ids_of(std::vector<std::string> args) {
    args.emplace_back("--json");
    std::vector<int64_t> ids;
    for (const auto& ticket : json_of(args)) ids.push_back(ticket["id"]);
    return ids;
  }

  TempDir dir_;

 private:
  void write(std::vector<std::string> argv, const std::vector<std::string>& subjects) {
    argv.insert(argv.begin(), {OPR_TICKETS_WRITER, db()});
    argv.insert(argv.end(), subjects.begin(), subjects.end());
    const auto result = run_command(argv);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }
};

}  // namespace opr::test
