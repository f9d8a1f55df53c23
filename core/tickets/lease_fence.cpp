#include "tickets/lease_fence.h"

#include <soci/soci.h>

namespace opr::tickets {

void check_lease(soci::session& sql, const std::string& target, const std::string& host) {
  int held = 0;
  sql << std::string(
             "SELECT 1 FROM target_leases WHERE target = :target AND host = :host"
             " AND expires_at > ") +
             kDatabaseNowMs + " FOR SHARE",
      soci::into(held), soci::use(target), soci::use(host);
  if (!sql.got_data()) {
    throw LeaseLost("host " + host + " no longer holds the lease of target '" + target +
                    "'; another host runs it now, and this result is not written");
  }
}

}  // namespace opr::tickets
