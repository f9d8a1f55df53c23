// Turning a connection string into an open SOCI session set up for the
// ticket store: the SQLite file made safely, WAL, busy timeout, foreign keys.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace soci {
class session;
}

namespace opr::tickets {

struct ConnectionTarget {
  std::string backend;                               // "sqlite3", "postgresql", ...
  std::string parameters;                            // what SOCI's backend is given
  std::optional<std::filesystem::path> sqlite_file;  // nullopt: ":memory:" or not SQLite
  std::string display;  // for messages: the file, or the string without passwords
};

// "sqlite3://db=PATH [key=value ...]", "BACKEND://PARAMS", or a bare path
// (meaning sqlite3). A leading "~/" in a path is the home folder. Adds a
// busy timeout of 30 s to SQLite when none is given. Throws StoreError.
ConnectionTarget parse_connection(const std::string& connection);

// Creates a missing SQLite file (mode 0600) and its folders (mode 0700),
// connects, and sets journal_mode=WAL, busy_timeout >= 30000 ms,
// synchronous=NORMAL and foreign_keys=ON. Throws StoreError.
std::unique_ptr<soci::session> connect(const ConnectionTarget& target);

}  // namespace opr::tickets
