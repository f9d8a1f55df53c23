#include "tickets/write_transaction.h"

#include <soci/soci.h>

namespace opr::tickets {

WriteTransaction::WriteTransaction(soci::session& sql) : sql_(sql) {
  if (sql_.get_backend_name() == "sqlite3") {
    sql_ << "BEGIN IMMEDIATE";
  } else {
    sql_.begin();
  }
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
