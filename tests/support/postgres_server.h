// opr_test_postgres: a real PostgreSQL 15 server as a child process, one per
// test binary, with a fresh database per test.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "test_support.h"

namespace opr::test {

// Debian's PostgreSQL 15 (package postgresql-15), initdb'd into a temp
// folder and listening on a free loopback port and on a Unix socket in that
// folder. When the process is root the folder belongs to `nobody` and the
// server runs as nobody (setpriv), since PostgreSQL refuses to run as root.
// The Unix socket trusts every local user; TCP wants the password
// (scram-sha-256). Stopped and removed on destruction.
class PostgresServer {
 public:
  static constexpr const char* kUser = "operator";
  static constexpr const char* kPassword = "pg-test-s3cret";

  // Why the server cannot run here ("" when it can): the package is missing.
  static std::string missing();

  PostgresServer();  // throws std::runtime_error with the server's own words
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  const std::filesystem::path& socket_dir() const { return dir_.path(); }

  // A new empty database; throws std::runtime_error when it cannot be made.
  void create_database(const std::string& name);
  // A URI to `database` over the Unix socket (no password needed).
  std::string socket_uri(const std::string& database) const;
  // A URI to `database` over TCP on 127.0.0.1 with `password` in it ("":
  // none in the URI, for PGPASSFILE and password_file).
  std::string tcp_uri(const std::string& database, const std::string& password) const;
  // psql with `sql` on `database` over the socket: its output, or throws.
  std::string psql(const std::string& database, const std::string& sql) const;

 private:
  TempDir dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
};

// The test binary's one server, started at the first call (so that a run
// of SQLite tests alone never starts it) and stopped when the tests end
// (a GoogleTest environment). Null, with `why` set, when the package is
// missing.
PostgresServer* shared_postgres_server(std::string& why);

// A database of its own for each caller: "test_N", made on the shared server.
std::string fresh_postgres_database(PostgresServer& server);

// What a fixture's SetUp takes from PostgreSQL: a fresh database on the
// shared server and its URI over the Unix socket; or, when `server` is null,
// why the test is skipped (GTEST_SKIP returns from SetUp, so each fixture
// says it itself).
struct PostgresTestDatabase {
  PostgresServer* server = nullptr;
  std::string name;
  std::string socket_uri;
  std::string skip_reason;
};
PostgresTestDatabase postgres_test_database();

}  // namespace opr::test
