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
  target_ = target;
  check_ = check;
  failed_check_ = failed_check_name(check);
  if (!has_open_state_) {
    has_open_state_.emplace(
        (sql_.prepare << "SELECT EXISTS (SELECT 1 FROM tickets WHERE target = :target"
                         " AND check_name IN (:check, :failed) AND status <> 'resolved')"
                         " OR EXISTS (SELECT 1 FROM pending_violations WHERE target = :target2"
                         " AND check_name = :check2)"
                         " OR EXISTS (SELECT 1 FROM check_failures WHERE target = :target3"
                         " AND check_name = :check3)",
         soci::into(found_), soci::use(target_), soci::use(check_), soci::use(failed_check_),
         soci::use(target_), soci::use(check_), soci::use(target_), soci::use(check_)));
  }
  read_one_row(*has_open_state_);
  return found_ != 0;
}

long long CachedQueries::count_open() {
  if (!count_open_) {
    count_open_.emplace((sql_.prepare << "SELECT COUNT(*) FROM tickets WHERE status <> 'resolved'",
                         soci::into(count_)));
  }
  read_one_row(*count_open_);
  return count_;
}

}  // namespace opr::tickets
