#include "observe/self_report.h"

#include <spdlog/spdlog.h>

#include <map>

namespace opr::observe {

SelfReport::SelfReport(const Metrics& metrics, tickets::StoreGauges& gauges,
                       std::function<NotificationTotals()> totals)
    : metrics_(metrics), gauges_(gauges), totals_(std::move(totals)) {}

std::string SelfReport::metrics_text() {
  Exposition out;
  metrics_.render(out);
  std::lock_guard lock(mutex_);
  render_tickets(out);
  render_notifications(out);
  render_cluster(out);
  return out.text();
}

void SelfReport::render_cluster(Exposition& out) {
  if (!cluster_) return;
  const ClusterGauges gauges = cluster_();
  out.family("operator_cluster_hosts", "gauge",
             "Hosts sharing the targets on this PostgreSQL database, this one included, as of "
             "its last renewal.");
  out.sample("operator_cluster_hosts", {}, gauges.live_hosts);
  out.family("operator_cluster_targets", "gauge", "Targets in the config, shared by the hosts.");
  out.sample("operator_cluster_targets", {}, gauges.targets);
  out.family("operator_cluster_targets_owned", "gauge",
             "Targets this host holds the lease of, and runs.");
  out.sample("operator_cluster_targets_owned", {}, gauges.owned);
  out.family("operator_cluster_chores", "gauge",
             "1 when this host runs the database-wide chores (the notification sender, "
             "expired acknowledgements, repeats, flapping), else 0.");
  out.sample("operator_cluster_chores", {}, uint64_t{gauges.chores ? 1u : 0u});
}

void SelfReport::render_tickets(Exposition& out) {
  bool readable = true;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> counts;
  try {
    for (auto& row : gauges_.open_tickets()) {
      counts[{row.target, row.check, row.severity}] = row.count;
    }
  } catch (const std::exception& e) {
    spdlog::warn("/metrics: {}", e.what());
    readable = false;
  }
  out.family("operator_database_readable", "gauge",
             "1 when this scrape could read the ticket database, else 0 (and the series read "
             "from it are missing).");
  out.sample("operator_database_readable", {}, uint64_t{readable ? 1u : 0u});
  if (!readable) return;
  for (const auto& [key, count] : counts) ticket_series_.insert(key);
  out.family("operator_open_tickets", "gauge",
             "Tickets not resolved, by target, check (<check>:failed for a failing check) and "
             "severity.");
  for (const auto& key : ticket_series_) {
    const auto& [target, check, severity] = key;
    const auto it = counts.find(key);
    out.sample("operator_open_tickets",
               {{"target", target}, {"check", check}, {"severity", severity}},
               static_cast<uint64_t>(it == counts.end() ? 0 : it->second));
  }
}

void SelfReport::render_notifications(Exposition& out) {
  const NotificationTotals totals = totals_ ? totals_() : NotificationTotals{};
  out.family("operator_notifications_sent_total", "counter",
             "Notifications delivered to receivers and diagnosis hooks.");
  out.sample("operator_notifications_sent_total", {}, totals.sent);
  out.family("operator_notifications_failed_total", "counter",
             "Notifications given up after their receiver's retries.");
  out.sample("operator_notifications_failed_total", {}, totals.failed);
  out.family("operator_notification_retries_total", "counter",
             "Delivery attempts that failed and are tried again later.");
  out.sample("operator_notification_retries_total", {}, totals.retried);
  std::map<std::string, int64_t> queued;
  try {
    for (auto& row : gauges_.queued_notifications()) queued[row.receiver] = row.count;
  } catch (const std::exception& e) {
    spdlog::warn("/metrics: {}", e.what());
    return;
  }
  for (const auto& [receiver, count] : queued) receivers_.insert(receiver);
  out.family("operator_notifications_queued", "gauge",
             "Notifications in the outbox still to be delivered, by receiver.");
  for (const auto& receiver : receivers_) {
    const auto it = queued.find(receiver);
    out.sample("operator_notifications_queued", {{"receiver", receiver}},
               static_cast<uint64_t>(it == queued.end() ? 0 : it->second));
  }
}

std::vector<std::string> SelfReport::unready_reasons(std::chrono::milliseconds probe_wait) {
  std::vector<std::string> reasons = metrics_.unready_reasons(now_ms());
  if (const auto problem = gauges_.write_problem(probe_wait)) {
    reasons.push_back("the ticket database is not writable: a write could not begin: " + *problem);
  }
  return reasons;
}

}  // namespace opr::observe
