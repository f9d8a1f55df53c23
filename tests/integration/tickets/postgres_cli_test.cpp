// `operator-host tickets` against a PostgreSQL ticket database, through the
// real binary: --db with the password in the URI, a config whose database
// names a password_file, and a wrong password that no output shows.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "postgres_server.h"
#include "test_support.h"
#include "tickets/ticket_store.h"

namespace opr::test {
namespace {

using Json = nlohmann::json;

class PostgresCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const PostgresTestDatabase postgres = postgres_test_database();
    if (postgres.server == nullptr) GTEST_SKIP() << postgres.skip_reason;
    server_ = postgres.server;
    database_ = postgres.name;
    // The monitor's side: one open ticket, written over the Unix socket.
    auto store = tickets::TicketStore::open(server_->socket_uri(database_));
    tickets::SuccessfulRun run;
    run.target = "tikv";
    run.check = "store_up";
    run.at = now_ms();
    run.batch_key = "b";
    run.violations.push_back({.subject = "4", .message = "store 4 is Down"});
    store->apply_success(run);
  }

  PostgresServer* server_ = nullptr;
  std::string database_;
  TempDir dir_;
};

TEST_F(PostgresCli, ListAndAcknowledgeWithThePasswordInTheUri) {
  const std::string db = server_->tcp_uri(database_, PostgresServer::kPassword);
  CommandResult listed = run_operator_host({"--db", db, "tickets", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const Json tickets = Json::parse(listed.out);
  ASSERT_EQ(tickets.size(), 1u) << listed.out;
  EXPECT_EQ(tickets[0]["violation_key"], "tikv/store_up/4");
  const std::string id = std::to_string(tickets[0]["id"].get<long long>());

  const CommandResult acked =
      run_operator_host({"--db", db, "tickets", "ack", id, "--note", "on it"});
  ASSERT_EQ(acked.exit_code, 0) << acked.err;
  listed = run_operator_host({"--db", db, "tickets", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(contains(listed.out, "acknowledged")) << listed.out;
  EXPECT_FALSE(contains(listed.out + listed.err, PostgresServer::kPassword));
}

TEST_F(PostgresCli, TheConfigsPasswordFile) {
  write_file(dir_ / "db-password", std::string(PostgresServer::kPassword) + "\n");
  write_file(dir_ / "operator.yaml", "database:\n  connection: " + server_->tcp_uri(database_, "") +
                                         "\n  password_file: db-password\n");
  ProcessOptions options;
  options.env = {{"PGPASSFILE", "/nonexistent"}};
  const CommandResult listed = run_operator_host(
      {"--config", (dir_ / "operator.yaml").string(), "tickets", "list", "--json"}, options);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(Json::parse(listed.out).size(), 1u) << listed.out;
}

TEST_F(PostgresCli, AWrongPasswordIsAnErrorThatDoesNotShowIt) {
  const std::string wrong = "n0t-the-Pa55word";
  ProcessOptions options;
  options.env = {{"OPERATOR_DB", server_->tcp_uri(database_, wrong)},
                 {"PGPASSFILE", "/nonexistent"}};
  const CommandResult listed = run_operator_host({"tickets", "list"}, options);
  EXPECT_NE(listed.exit_code, 0);
  EXPECT_TRUE(contains(listed.err, "password authentication failed")) << listed.err;
  EXPECT_FALSE(contains(listed.out + listed.err, wrong)) << listed.err;
}

// The monitor's own writes: one --once cycle of the example pack, whose
// missing file opens a ticket in PostgreSQL that the CLI then lists.
TEST_F(PostgresCli, AOnceCycleWritesItsTicketsThere) {
  const std::string stamp = (dir_ / "missing-stamp").string();
  const std::string db = server_->socket_uri(database_);
  std::filesystem::create_directories(dir_ / "packs");
  write_file(dir_ / "operator.yaml",
             "database: " + db + "\nplugin_dirs: [" +
                 copy_pack(example_pack(), dir_ / "packs").parent_path().string() +
                 "]\ntargets:\n  - name: files\n    pack: example\n    checks:\n"
                 "      http_ok: {enabled: false, url: \"http://127.0.0.1:1/\"}\n"
                 "      file_fresh: {grace: 0s, path: " +
                 stamp + "}\n");
  const CommandResult once =
      run_operator_host({"--config", (dir_ / "operator.yaml").string(), "--once"});
  EXPECT_NE(once.exit_code, 3) << once.err;  // 3: could not start
  const CommandResult listed = run_operator_host({"--db", db, "tickets", "list", "--json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  bool found = false;
  for (const auto& ticket : Json::parse(listed.out)) {
    found = found || ticket["violation_key"] == "files/file_fresh/" + stamp;
  }
  EXPECT_TRUE(found) << listed.out << once.err;
}

}  // namespace
}  // namespace opr::test
