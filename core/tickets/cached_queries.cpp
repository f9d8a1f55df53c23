#include "tickets/cached_queries.h"

#include "tickets/ticket.h"

namespace opr::tickets {
namespace {

// Reads the one row, then steps to the end: a statement left on its row
// keeps the connection's read transaction open, so the monitor would go on
// reading an old snapshot and fail to write after any change by the CLI.
void read_one_row(soci::statement& statement) {
  statement.execute(true);
  while (statement.fetch()) {
  }
}

}  // namespace

bool CachedQueries::has_open_state(const std::string& target, const std::string& check) {
  HasOpenState& b = has_open_state_;
  b.target = target;
  b.check = check;
  b.failed_check = failed_check_name(check);
  if (!b.statement) {
    b.statement.emplace(
        (sql_.prepare << "SELECT EXISTS (SELECT 1 FROM tickets WHERE target = :target"
                         " AND check_name IN (:check, :failed) AND status <> 'resolved')"
                         " OR EXISTS (SELECT 1 FROM pending_violations WHERE target = :target2"
                         " AND check_name = :check2)"
                         " OR EXISTS (SELECT 1 FROM check_failures WHERE target = :target3"
                         " AND check_name = :check3)",
         soci::into(b.found), soci::use(b.target), soci::use(b.check), soci::use(b.failed_check),
         soci::use(b.target), soci::use(b.check), soci::use(b.target), soci::use(b.check)));
  }
  read_one_row(*b.statement);
  return b.found != 0;
}

long long CachedQueries::count_open() {
  CountOpen& b = count_open_;
  if (!b.statement) {
    b.statement.emplace((sql_.prepare << "SELECT COUNT(*) FROM tickets WHERE status <> 'resolved'",
                         soci::into(b.count)));
  }
  read_one_row(*b.statement);
  return b.count;
}

}  // namespace opr::tickets
