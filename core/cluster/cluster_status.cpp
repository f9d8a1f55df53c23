#include "cluster/cluster_status.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>

#include "cluster/lease_keeper.h"
#include "tickets/lease_fence.h"

namespace opr::cluster {

namespace {

TimePoint from_ms(long long ms) { return TimePoint(std::chrono::milliseconds(ms)); }

}  // namespace

ClusterStatus read_cluster_status(soci::session& sql, const std::vector<std::string>& configured) {
  ClusterStatus status;
  long long now = 0;
  sql << std::string("SELECT ") + tickets::kDatabaseNowMs, soci::into(now);
  status.now = from_ms(now);

  std::map<std::string, HostStatus> hosts;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT host, started_at, heartbeat_at, expires_at FROM cluster_hosts");
    for (const auto& row : rows) {
      HostStatus host;
      host.host = row.get<std::string>(0);
      host.started_at = from_ms(row.get<long long>(1));
      host.heartbeat_at = from_ms(row.get<long long>(2));
      host.live = row.get<long long>(3) > now;
      hosts.emplace(host.host, host);
    }
  }
  std::map<std::string, TargetStatus> targets;
  {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT target, host, since, expires_at FROM target_leases");
    for (const auto& row : rows) {
      TargetStatus target;
      target.target = row.get<std::string>(0);
      target.host = row.get<std::string>(1);
      target.since = from_ms(row.get<long long>(2));
      target.expires_at = from_ms(row.get<long long>(3));
      target.expired = target.expires_at <= status.now;
      if (!target.expired) {
        const auto host = hosts.find(target.host);
        if (host != hosts.end()) {
          if (target.target == kChoresLease) {
            host->second.chores = true;
          } else {
            ++host->second.targets;
          }
        }
      }
      if (target.target != kChoresLease) targets.emplace(target.target, target);
    }
  }
  for (const auto& name : configured) {
    if (targets.count(name)) continue;
    TargetStatus free;
    free.target = name;
    targets.emplace(name, free);
  }
  for (auto& [name, host] : hosts) status.hosts.push_back(host);
  std::stable_sort(status.hosts.begin(), status.hosts.end(),
                   [](const HostStatus& a, const HostStatus& b) { return a.live > b.live; });
  for (auto& [name, target] : targets) status.targets.push_back(target);
  return status;
}

}  // namespace opr::cluster
