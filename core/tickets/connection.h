// Turning a connection string into an open SOCI session set up for the
// ticket store: the SQLite file made safely, WAL, busy timeout, foreign keys.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace opr::tickets {

struct ConnectionTarget {
  std::string backend;                               // "sqlite3", "postgresql", ...
  std::string parameters;                            // what SOCI's backend is given
  std::optional<std::filesystem::path> sqlite_file;  // nullopt: ":memory:" or not SQLite
  std::string display;  // for messages: the file, or the string without passwords
  // The passwords the connection string holds (connection_secrets): every
  // message built from or returned by SOCI goes through shown() with them.
  std::vector<std::string> secrets;

  // `message` with every password of this connection masked
  // (mask_passwords): for errors SOCI and its libraries write.
  std::string shown(const std::string& message) const;
};

// "sqlite3://db=PATH [key=value ...]", "BACKEND://PARAMS", or a bare path
// (meaning sqlite3). A leading "~/" in a path is the home folder. Adds a
// busy timeout of 30 s to SQLite when none is given. PostgreSQL takes
// "postgresql://" followed by either libpq's key=value pairs
// (`host=db1 dbname=ops password='a b'`, checked here so that libpq never
// quotes a piece of a malformed one) or the rest of a URI
// (`postgresql://user:pass@host:5432/db`, handed to libpq whole). Throws
// StoreError, whose message never shows a password.
ConnectionTarget parse_connection(const std::string& connection);

// Creates a missing SQLite file (mode 0600) and its folders (mode 0700),
// connects, and sets journal_mode=WAL, busy_timeout >= 30000 ms,
// synchronous=NORMAL and foreign_keys=ON. Throws StoreError.
std::unique_ptr<soci::session> connect(const ConnectionTarget& target);

}  // namespace opr::tickets
