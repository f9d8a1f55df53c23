#include "tickets/connection.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/redaction.h"
#include "tickets/ticket_store.h"

namespace opr::tickets {

namespace {

// How long a writer waits for another process's transaction. SQLite's busy
// handler is not fair: a waiter can miss the lock again and again while the
// other side commits in a loop, so the budget is generous (a CLI command
// waiting is better than one failing, and a monitor cycle must not be lost).
constexpr int kMinBusyTimeoutMs = 30000;
// How long PostgreSQL lets a session sit idle inside a transaction: far
// above the pauses of a busy host between two statements of one write,
// far below how long a frozen host could otherwise hold every writer up.
constexpr int kIdleInTransactionTimeoutMs = 10000;

struct Parameter {
  std::string key;
  std::string value;
};

// SOCI's "key=value key2="quoted value"" form.
std::vector<Parameter> split_parameters(const std::string& text) {
  std::vector<Parameter> parameters;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    const size_t equals = text.find('=', i);
    const size_t space = text.find(' ', i);
    if (equals == std::string::npos || (space != std::string::npos && space < equals)) {
      // A word without '=' continues the previous unquoted value, so that
      // db=/my folder/t.db means what it says.
      if (parameters.empty()) throw StoreError("bad connection parameters: " + text);
      const size_t end = space == std::string::npos ? text.size() : space;
      parameters.back().value += ' ' + text.substr(i, end - i);
      i = end;
      continue;
    }
    Parameter parameter{text.substr(i, equals - i), ""};
    i = equals + 1;
    if (i < text.size() && text[i] == '"') {
      const size_t close = text.find('"', i + 1);
      if (close == std::string::npos) throw StoreError("unbalanced quote in: " + text);
      parameter.value = text.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      const size_t space = text.find(' ', i);
      parameter.value = text.substr(i, space == std::string::npos ? std::string::npos : space - i);
      i = space == std::string::npos ? text.size() : space;
    }
    parameters.push_back(std::move(parameter));
  }
  return parameters;
}

std::string join_parameters(const std::vector<Parameter>& parameters) {
  std::string text;
  for (const auto& parameter : parameters) {
    if (!text.empty()) text += ' ';
    text += parameter.key + '=';
    if (parameter.value.find_first_of(" \t") != std::string::npos || parameter.value.empty()) {
      text += '"' + parameter.value + '"';
    } else {
      text += parameter.value;
    }
  }
  return text;
}

std::string expand_home(const std::string& path) {
  if (path.rfind("~/", 0) != 0) return path;
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return path;
  return std::string(home) + path.substr(1);
}

ConnectionTarget sqlite_target(std::string path, std::vector<Parameter> others) {
  path = expand_home(path);
  if (path.empty()) throw StoreError("the ticket database path is empty");
  if (path.find('"') != std::string::npos) {
    throw StoreError("a ticket database path cannot contain '\"': " + path);
  }
  ConnectionTarget target;
  target.backend = "sqlite3";
  target.display = path;
  if (path != ":memory:") target.sqlite_file = std::filesystem::path(path);
  bool has_timeout = false;
  for (const auto& parameter : others) has_timeout = has_timeout || parameter.key == "timeout";
  std::vector<Parameter> parameters{{"db", path}};
  for (auto& parameter : others) parameters.push_back(std::move(parameter));
  if (!has_timeout) parameters.push_back({"timeout", std::to_string(kMinBusyTimeoutMs / 1000)});
  target.parameters = join_parameters(parameters);
  return target;
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// libpq's key=value form starts with a key and '='; anything else after
// "postgresql://" is the rest of a URI.
bool is_conninfo(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  const size_t key = i;
  while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'))
    ++i;
  if (i == key) return false;
  while (i < text.size() && is_space(text[i])) ++i;
  return i < text.size() && text[i] == '=';
}

[[noreturn]] void bad_conninfo(int pair, const std::string& why) {
  throw StoreError("bad PostgreSQL connection parameters: pair " + std::to_string(pair) + " " +
                   why);
}

// Key=value pairs as both SOCI 4.0 and libpq read them alike. libpq's
// syntax (its conninfo_parse): pairs apart by blanks, a value bare up to
// the next blank or in single quotes, backslash escapes in both. SOCI's
// PostgreSQL backend re-reads the string first as its own words: a value
// ends at the first blank and loses double quotes, and a word without '='
// gets one. What they would read differently is refused here, as is what
// libpq cannot read: libpq's own errors quote the piece they could not
// read, which may be a password. These say where, never what.
void check_conninfo(const std::string& text) {
  const std::string uri_hint = "; write a value that holds blanks in the URI form, as %20";
  const auto escaped_blank = [&text](size_t i) {
    return i + 1 < text.size() && is_space(text[i + 1]);
  };
  size_t i = 0;
  for (int pair = 1;; ++pair) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) return;
    while (i < text.size() && text[i] != '=' && !is_space(text[i])) ++i;
    if (i >= text.size() || text[i] != '=') {
      bad_conninfo(pair, text.find('"') == std::string::npos
                             ? "is not key=value"
                             : "is not key=value (libpq does not quote with \")" + uri_hint);
    }
    ++i;
    if (i < text.size() && is_space(text[i])) bad_conninfo(pair, "has a blank after '='");
    if (i < text.size() && text[i] == '"')
      bad_conninfo(pair, "quotes its value with \"" + uri_hint);
    if (i < text.size() && text[i] == '\'') {
      bool closed = false;
      for (++i; i < text.size() && !closed; ++i) {
        if (is_space(text[i]) || (text[i] == '\\' && escaped_blank(i))) {
          bad_conninfo(pair, "holds a blank" + uri_hint);
        }
        if (text[i] == '\\') {
          ++i;
        } else {
          closed = text[i] == '\'';
        }
      }
      if (!closed) bad_conninfo(pair, "opens a quote (') it never closes");
      if (i < text.size() && !is_space(text[i])) {
        bad_conninfo(pair, "goes on after its closing quote");
      }
      continue;
    }
    for (; i < text.size() && !is_space(text[i]); ++i) {
      if (text[i] != '\\') continue;
      if (escaped_blank(i)) bad_conninfo(pair, "holds a blank" + uri_hint);
      ++i;
    }
  }
}

// What SOCI 4.0's PostgreSQL backend is given, to hand on to libpq's
// PQconnectdb unchanged: key=value pairs as checked above, or the URI. A
// URI always carries a query parameter, since SOCI would append '=' to a
// word without one (and libpq would then look for a database "db="):
// fallback_application_name, which also names operator-host to the server
// when the URI sets no application_name.
std::string postgresql_parameters(const std::string& parameters) {
  if (is_conninfo(parameters)) {
    check_conninfo(parameters);
    return parameters;
  }
  const std::string uri = "postgresql://" + parameters;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") +
         "fallback_application_name=operator-host";
}

void make_folders(const std::filesystem::path& folder) {
  if (folder.empty() || std::filesystem::exists(folder)) return;
  make_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw StoreError("cannot create folder " + folder.string() + ": " + std::strerror(errno));
  }
}

// Tickets name hosts, stores and what operators wrote about them: the file
// and SQLite's -wal and -shm beside it are for this user alone. An existing
// file readable or writable by others is tightened (owner bits kept), or
// refused when that is not allowed, rather than used as it is.
void make_private(const std::filesystem::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) {
      throw StoreError("cannot use " + file.string() + ": " + std::strerror(errno));
    }
    return;
  }
  if (!S_ISREG(status.st_mode) || (status.st_mode & 077) == 0) return;
  const mode_t wanted = status.st_mode & 0700;
  if (::chmod(file.c_str(), wanted) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
    throw StoreError("the ticket database file " + file.string() +
                     " is open to other users (mode " + mode + ") and cannot be made private (" +
                     std::strerror(errno) + "); make it 0600 as its owner");
  }
}

// A new file is made here, not by SQLite, so that it is never readable by
// others, whatever the umask (SQLite gives its -wal and -shm the same mode).
void create_private_file(const std::filesystem::path& file) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    make_private(file.string() + suffix);
  }
  if (std::filesystem::exists(file)) return;
  make_folders(file.parent_path());
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return;  // another process made it a moment ago
    throw StoreError("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);
  ::close(fd);
}

}  // namespace

std::string ConnectionTarget::shown(const std::string& message) const {
  return mask_passwords(message, secrets);
}

namespace {

ConnectionTarget parse_any(const std::string& connection, const std::vector<std::string>& secrets) {
  const size_t scheme_end = connection.find("://");
  if (scheme_end == std::string::npos) return sqlite_target(connection, {});
  const std::string backend = connection.substr(0, scheme_end);
  const std::string parameters = connection.substr(scheme_end + 3);
  if (backend == "sqlite3" || backend == "sqlite") {
    if (parameters.find('=') == std::string::npos) return sqlite_target(parameters, {});
    std::vector<Parameter> split = split_parameters(parameters);
    std::string path;
    std::vector<Parameter> others;
    for (auto& parameter : split) {
      if (parameter.key == "db" || parameter.key == "dbname") {
        path = parameter.value;
      } else {
        others.push_back(std::move(parameter));
      }
    }
    if (path.empty()) throw StoreError("no db=PATH in " + connection);
    return sqlite_target(path, std::move(others));
  }
  ConnectionTarget target;
  // libpq takes both schemes; SOCI knows the backend by one name.
  const bool postgresql = backend == "postgresql" || backend == "postgres";
  target.backend = postgresql ? "postgresql" : backend;
  target.parameters = postgresql ? postgresql_parameters(parameters) : parameters;
  target.display = mask_passwords(connection, secrets);
  return target;
}

}  // namespace

ConnectionTarget parse_connection(const std::string& connection) {
  const std::vector<std::string> secrets = connection_secrets(connection);
  try {
    ConnectionTarget target = parse_any(connection, secrets);
    target.secrets = secrets;
    return target;
  } catch (const StoreError& e) {
    throw StoreError(mask_passwords(e.what(), secrets));  // they may quote the string
  }
}

namespace {

// WAL is a property of the file, so only the first opener switches it. Two
// processes opening a new file at once may both try, and SQLite answers
// SQLITE_BUSY to one of them at once, without its busy handler (that wait
// could deadlock): so the switch is retried until the other side is done.
void use_wal(soci::session& sql) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kMinBusyTimeoutMs);
  while (true) {
    try {
      std::string mode;
      sql << "PRAGMA journal_mode", soci::into(mode);
      if (mode == "wal") return;
      // An in-memory database answers "memory" and stays so: that is fine.
      sql << "PRAGMA journal_mode = WAL", soci::into(mode);
      return;
    } catch (const soci::soci_error& e) {
      const std::string what = e.what();
      const bool busy =
          what.find("locked") != std::string::npos || what.find("busy") != std::string::npos;
      if (!busy || std::chrono::steady_clock::now() >= deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
}

}  // namespace

std::unique_ptr<soci::session> connect(const ConnectionTarget& target) {
  std::unique_ptr<soci::session> sql;
  try {
    if (target.backend == "sqlite3") {
      if (target.sqlite_file) create_private_file(*target.sqlite_file);
      sql = std::make_unique<soci::session>(*soci::factory_sqlite3(), target.parameters);
      // The busy timeout must be in force before the first statement that
      // may meet another process's lock, journal_mode included.
      int busy_timeout = 0;
      *sql << "PRAGMA busy_timeout", soci::into(busy_timeout);
      if (busy_timeout < kMinBusyTimeoutMs) {
        *sql << "PRAGMA busy_timeout = " + std::to_string(kMinBusyTimeoutMs),
            soci::into(busy_timeout);
      }
      use_wal(*sql);
      // NORMAL is safe in WAL mode (no corruption); it only lets the last
      // commits before a power cut roll back, and keeps commits fast.
      *sql << "PRAGMA synchronous = NORMAL";
      *sql << "PRAGMA foreign_keys = ON";
    } else {
      sql = std::make_unique<soci::session>(target.backend, target.parameters);
      if (target.backend == "postgresql") {
        // Every write transaction holds the writers' lock (and a host's the
        // fence on its lease): a host frozen or cut off inside one would
        // stall every other host's writes for as long as the server keeps
        // its session. The server ends such a session instead; the host
        // connects again at its next call (SociTicketStore).
        *sql << "SET idle_in_transaction_session_timeout = " +
                    std::to_string(kIdleInTransactionTimeoutMs);
      }
    }
  } catch (const soci::soci_error& e) {
    // libpq's words may quote the connection string.
    throw StoreError(
        target.shown("cannot open the ticket database " + target.display + ": " + e.what()));
  }
  return sql;
}

}  // namespace opr::tickets
