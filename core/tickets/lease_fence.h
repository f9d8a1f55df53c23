// Fencing for several hosts on one PostgreSQL database (cluster/): a host
// writes a target's results only while it holds that target's lease, read
// inside the write transaction, so a host that was paused or cut off past
// its lease cannot write stale results over its successor's.
#pragma once

#include <string>

#include "tickets/ticket_store.h"

namespace soci {
class session;
}

namespace opr::tickets {

// The database's own clock in milliseconds since the epoch. Leases are
// judged by it alone, so hosts whose clocks disagree still agree on who
// holds what. clock_timestamp(), not now(): now() is the start of the
// transaction, which a slow transaction would leave behind.
inline constexpr const char* kDatabaseNowMs =
    "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT";

// The lease of `target` has expired or belongs to another host.
class LeaseLost : public StoreError {
 public:
  using StoreError::StoreError;
};

// Inside a write transaction: throws LeaseLost unless `host` holds the
// unexpired lease of `target`. The row stays locked (FOR SHARE) until the
// transaction ends, so no other host can claim the lease before this
// transaction's writes are committed.
void check_lease(soci::session& sql, const std::string& target, const std::string& host);

}  // namespace opr::tickets
