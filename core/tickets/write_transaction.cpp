#include "tickets/write_transaction.h"

#include <soci/soci.h>

#include <algorithm>
#include <string>

namespace opr::tickets {

namespace {

// The key of PostgreSQL's advisory lock that stands for SQLite's write
// lock: "operator" in ASCII. Advisory locks belong to one database, so
// stores on other databases of the same server never wait for each other.
constexpr long long kWriteLockKey = 0x6f70657261746f72LL;

}  // namespace

WriteTransaction::WriteTransaction(soci::session& sql) : sql_(sql) {
  if (sql_.get_backend_name() == "sqlite3") {
    sql_ << "BEGIN IMMEDIATE";
    return;
  }
  sql_.begin();
  // Writers one at a time, as on SQLite: the store reads, decides, then
  // writes, and READ COMMITTED alone would let a CLI command change a
  // ticket between the monitor's read and its write. Released by the
  // server at commit or rollback, or when the connection dies.
  sql_ << "SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")";
}

void probe_postgresql_write_lock(soci::session& sql, std::chrono::milliseconds wait) {
  sql.begin();
  try {
    // SET LOCAL ends with the transaction; at least 1 ms, since 0 means
    // "wait for ever".
    sql << "SET LOCAL lock_timeout = " + std::to_string(std::max<long long>(wait.count(), 1));
    sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLockKey) + ")";
  } catch (...) {
    sql.rollback();
    throw;
  }
  sql.rollback();
}

WriteTransaction::~WriteTransaction() {
  if (done_) return;
  try {
    sql_.rollback();
  } catch (...) {
    // The database may already have rolled back (e.g. after SQLITE_FULL).
  }
}

void WriteTransaction::commit() {
  sql_.commit();
  done_ = true;
}

}  // namespace opr::tickets
