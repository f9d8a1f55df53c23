// The whole of what the listener answers, put together: the engine's
// metrics, what the ticket database holds (open tickets, queued
// notifications, read at each scrape on a connection of their own) and
// the senders' totals; readiness from the engine and a write probe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "observe/metrics.h"
#include "tickets/store_gauges.h"

namespace opr::observe {

// Since the monitor started, both senders (receivers' and hooks') together.
struct NotificationTotals {
  uint64_t sent = 0;     // delivered
  uint64_t retried = 0;  // attempts that failed and will be tried again
  uint64_t failed = 0;   // given up
};

// This host's part when several share the targets (cluster/lease_keeper.h).
struct ClusterGauges {
  uint64_t live_hosts = 0;
  uint64_t targets = 0;  // configured
  uint64_t owned = 0;    // leased by this host
  bool chores = false;   // this host runs the database-wide chores
};

class SelfReport {
 public:
  // Both must outlive this. `totals` is called at each scrape.
  SelfReport(const Metrics& metrics, tickets::StoreGauges& gauges,
             std::function<NotificationTotals()> totals);

  // Several hosts: `cluster` is called at each scrape. Set before serving.
  void set_cluster(std::function<ClusterGauges()> cluster) { cluster_ = std::move(cluster); }

  // GET /metrics.
  std::string metrics_text();
  // GET /-/ready: the engine's reasons, and the database's when a write
  // cannot begin within `probe_wait`.
  std::vector<std::string> unready_reasons(
      std::chrono::milliseconds probe_wait = std::chrono::seconds(1));

 private:
  void render_tickets(Exposition& out);
  void render_notifications(Exposition& out);
  void render_cluster(Exposition& out);

  const Metrics& metrics_;
  tickets::StoreGauges& gauges_;
  std::function<NotificationTotals()> totals_;
  std::function<ClusterGauges()> cluster_;
  std::mutex mutex_;
  // Series once seen are shown as 0 when they have no row any more, so
  // that a count going to zero reads as zero, not as a gap.
  std::set<std::tuple<std::string, std::string, std::string>> ticket_series_;
  std::set<std::string> receivers_;
};

}  // namespace opr::observe
