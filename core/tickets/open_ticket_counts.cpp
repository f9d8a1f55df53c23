#include "tickets/open_ticket_counts.h"

#include <soci/soci.h>

namespace opr::tickets {

std::vector<OpenTicketCount> read_open_ticket_counts(soci::session& sql) {
  std::vector<OpenTicketCount> counts;
  OpenTicketCount row;
  long long count = 0;
  soci::statement select =
      (sql.prepare << "SELECT target, check_name, severity, COUNT(*) FROM tickets"
                      " WHERE status <> 'resolved' GROUP BY target, check_name, severity",
       soci::into(row.target), soci::into(row.check), soci::into(row.severity), soci::into(count));
  select.execute();
  while (select.fetch()) {
    row.count = count;
    counts.push_back(row);
  }
  return counts;
}

}  // namespace opr::tickets
