#include "postgres_server.h"

#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "common/percent_encoding.h"

namespace opr::test {

namespace {

namespace fs = std::filesystem;

// Debian's own folder of the version's binaries; /usr/bin holds only
// pg_wrapper links, and /usr/local/bin may hold anything.
const fs::path kBin = "/usr/lib/postgresql/15/bin";

// PostgreSQL refuses to run as root, so as root everything of the server
// runs as `nobody`, in a folder that nobody owns.
struct RunAs {
  bool needed = ::geteuid() == 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

RunAs run_as() {
  RunAs who;
  if (!who.needed) return who;
  const passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) throw std::runtime_error("running as root, and there is no user nobody");
  who.uid = nobody->pw_uid;
  who.gid = nobody->pw_gid;
  return who;
}

std::vector<std::string> as_server_user(const RunAs& who, std::vector<std::string> argv) {
  // setpriv execs the command itself, so the pid (and the signals sent to
  // it) is the server's. --pdeathsig, applied after the change of user,
  // takes the server down with the test process even when that one is
  // killed (a ctest timeout) and never runs the destructor: SIGQUIT is
  // PostgreSQL's immediate shutdown.
  std::vector<std::string> wrapped = {"/usr/bin/setpriv", "--pdeathsig", "SIGQUIT"};
  if (who.needed) {
    wrapped.insert(wrapped.end(), {"--reuid=" + std::to_string(who.uid),
                                   "--regid=" + std::to_string(who.gid), "--clear-groups"});
  }
  wrapped.push_back("--");
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

void give_to(const RunAs& who, const fs::path& path) {
  if (who.needed && ::chown(path.c_str(), who.uid, who.gid) != 0) {
    throw std::runtime_error("cannot give " + path.string() + " to the server's user");
  }
}

}  // namespace

std::string PostgresServer::missing() {
  std::error_code ec;
  if (fs::exists(kBin / "postgres", ec) && fs::exists(kBin / "initdb", ec) &&
      fs::exists(kBin / "psql", ec)) {
    return "";
  }
  return "PostgreSQL 15 is not installed (" + (kBin / "postgres").string() +
         " is missing): install the Debian package postgresql-15 (scripts/setup does)";
}

PostgresServer::PostgresServer() {
  const RunAs who = run_as();
  give_to(who, dir_.path());
  const fs::path data = dir_ / "data";
  const fs::path password_file = dir_ / "password";
  write_file(password_file, std::string(kPassword) + "\n");
  give_to(who, password_file);

  ProcessOptions options;
  options.cwd = dir_.path();  // the server's user may not enter the test's folder
  const CommandResult init =
      run_command(as_server_user(who, {(kBin / "initdb").string(), "-D", data.string(), "-U", kUser,
                                       "--auth-local=trust", "--auth-host=scram-sha-256",
                                       "--pwfile=" + password_file.string(), "-E", "UTF8",
                                       "--locale=C", "--no-sync"}),
                  options, std::chrono::seconds(120));
  if (init.exit_code != 0) {
    throw std::runtime_error("initdb failed (exit " + std::to_string(init.exit_code) +
                             "): " + init.out + init.err);
  }

  port_ = free_port();
  // Durability is no concern of a throwaway server: without fsync the
  // suite runs at the speed of memory.
  process_ = std::make_unique<Process>(
      as_server_user(
          who, {(kBin / "postgres").string(), "-D", data.string(), "-p", std::to_string(port_),
                "-k", dir_.path().string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off"}),
      options);
  const auto ready = [this] {
    return run_command({(kBin / "pg_isready").string(), "-q", "-h", dir_.path().string(), "-p",
                        std::to_string(port_)})
               .exit_code == 0;
  };
  if (!wait_until(ready, std::chrono::seconds(60), std::chrono::milliseconds(50))) {
    throw std::runtime_error("PostgreSQL did not become ready: " + process_->err());
  }
}

PostgresServer::~PostgresServer() {
  if (!process_) return;
  process_->signal(SIGINT);  // fast shutdown: ends sessions, no waiting for clients
  process_->wait(std::chrono::seconds(20));
  process_.reset();  // kills the process group if it is still there
}

std::string PostgresServer::psql(const std::string& database, const std::string& sql) const {
  const CommandResult result = run_command(
      {(kBin / "psql").string(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
       dir_.path().string(), "-p", std::to_string(port_), "-U", kUser, "-d", database, "-c", sql});
  if (result.exit_code != 0) throw std::runtime_error("psql " + sql + ": " + result.err);
  return result.out;
}

void PostgresServer::create_database(const std::string& name) {
  psql("postgres", "CREATE DATABASE " + name);
}

std::string PostgresServer::socket_uri(const std::string& database) const {
  return "postgresql://" + std::string(kUser) + "@" + percent_encode(dir_.path().string()) + ":" +
         std::to_string(port_) + "/" + database;
}

std::string PostgresServer::tcp_uri(const std::string& database,
                                    const std::string& password) const {
  return "postgresql://" + std::string(kUser) + (password.empty() ? "" : ":" + password) +
         "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

namespace {

// Owns the shared server, so that it stops when the tests end, failed or not.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { server.reset(); }
  std::unique_ptr<PostgresServer> server;
};

PostgresEnvironment* const environment = [] {
  auto* env = new PostgresEnvironment;
  ::testing::AddGlobalTestEnvironment(env);  // GoogleTest owns it
  return env;
}();

}  // namespace

PostgresServer* shared_postgres_server(std::string& why) {
  why = PostgresServer::missing();
  if (!why.empty()) return nullptr;
  if (!environment->server) environment->server = std::make_unique<PostgresServer>();
  return environment->server.get();
}

std::string fresh_postgres_database(PostgresServer& server) {
  static std::atomic<int> next{0};
  const std::string name = "test_" + std::to_string(++next);
  server.create_database(name);
  return name;
}

PostgresTestDatabase postgres_test_database() {
  PostgresTestDatabase database;
  database.server = shared_postgres_server(database.skip_reason);
  if (database.server == nullptr) return database;
  database.name = fresh_postgres_database(*database.server);
  database.socket_uri = database.server->socket_uri(database.name);
  return database;
}

}  // namespace opr::test
