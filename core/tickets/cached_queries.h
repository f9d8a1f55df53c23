// The monitor's reads that run on every run or cycle, prepared once per
// store: SQLite takes longer to compile these statements than to run them.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

namespace opr::tickets {

class CachedQueries {
 public:
  // `sql` must outlive this object.
  explicit CachedQueries(soci::session& sql) : sql_(sql) {}

  // True when the check has a non-resolved ticket (its own or its :failed
  // one), a violation in grace, or a failure streak.
  bool has_open_state(const std::string& target, const std::string& check);

  // Non-resolved tickets of every target and check.
  long long count_open();

 private:
  soci::session& sql_;
  // Each statement next to the variables it is bound to.
  struct HasOpenState {
    std::string target, check, failed_check;
    int found = 0;
    std::optional<soci::statement> statement;
  } has_open_state_;
  struct CountOpen {
    long long count = 0;
    std::optional<soci::statement> statement;
  } count_open_;
};

}  // namespace opr::tickets
