// A transaction that takes the write lock when it begins (on PostgreSQL, a
// transaction-level advisory lock: writers wait for each other as on
// SQLite). On SQLite a plain
// BEGIN takes it only at the first write, and a reader that then wants to
// write can fail at once with SQLITE_BUSY instead of waiting out the busy
// timeout; BEGIN IMMEDIATE waits for it up front.
#pragma once

#include <chrono>

namespace soci {
class session;
}

namespace opr::tickets {

class WriteTransaction {
 public:
  explicit WriteTransaction(soci::session& sql);
  ~WriteTransaction();  // rolls back unless committed
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  soci::session& sql_;
  bool done_ = false;
};

// PostgreSQL: whether a write could begin now. Takes the lock a
// WriteTransaction takes, waiting at most `wait` for another writer, and
// lets it go at once. Throws soci::soci_error when it could not.
void probe_postgresql_write_lock(soci::session& sql, std::chrono::milliseconds wait);

}  // namespace opr::tickets
