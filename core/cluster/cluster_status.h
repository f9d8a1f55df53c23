// What `operator-host cluster status` shows: the hosts sharing a PostgreSQL
// ticket database, the targets each holds and since when, and the targets
// nobody holds. Read with the database's clock, as the leases are judged.
#pragma once

#include <string>
#include <vector>

#include "common/time_format.h"

namespace soci {
class session;
}

namespace opr::cluster {

struct HostStatus {
  std::string host;
  bool live = false;  // renewed within its lease
  TimePoint started_at;
  TimePoint heartbeat_at;
  std::size_t targets = 0;  // unexpired leases
  bool chores = false;      // holds the chores' lease
};

struct TargetStatus {
  std::string target;
  std::string host;  // "" when nobody ever held it (or it was released)
  TimePoint since;
  TimePoint expires_at;
  bool expired = true;  // free for any host to take
};

struct ClusterStatus {
  TimePoint now;                  // the database's clock
  std::vector<HostStatus> hosts;  // live ones first, then by name
  // Every leased target, and each of `configured` without a lease, by name.
  std::vector<TargetStatus> targets;
};

// Reads the status from `sql` (a PostgreSQL ticket database). `configured`:
// the config's targets, shown as free when nobody holds them.
ClusterStatus read_cluster_status(soci::session& sql, const std::vector<std::string>& configured);

}  // namespace opr::cluster
