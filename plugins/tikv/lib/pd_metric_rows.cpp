#include "pd_metric_rows.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "promql.h"

namespace opr::tikv {
namespace {

using std::chrono::seconds;

// Thresholds are compared in C++, never in PromQL: a condition filtered out
// by `> threshold` would answer nothing both when healthy and when its
// series are gone, and the unknown-subject rule must tell those apart. The
// `> 0` and `> bool 0` left in the expressions pick series (the leader, the
// members that saved TSO); they compare no threshold.

constexpr PdWindow kRateWindow{.param = "rate_window",
                               .placeholder = "{window}",
                               .default_text = "1m",
                               .doc = "range of rate()/increase() in the PromQL query"};

// pd.rules.yml filters every region alert to the leader: followers keep
// exporting what they last counted.
constexpr std::array kRegionConditions = std::to_array<PdCondition>({
    // Upstream's v8.5.1 file reads type="miss_peer_region_count", which PD
    // never exports (pkg/statistics/region_collection.go writes hyphens, as
    // the docs' alert-rules.md does): that alert cannot fire. The hyphen here.
    {.key = "miss-peer",
     .upstream = "PD_miss_peer_region_count",
     .metric = "pd_regions_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_regions_status{type=\"miss-peer-region-count\"})",
     .threshold_param = "miss_peer_threshold",
     .threshold_default = "100",
     .level = Level::kCritical,
     .whole = true,
     .message = "{value} regions miss a replica (miss-peer), more than {threshold}"},
    {.key = "down-peer",
     .upstream = "PD_down_peer_region_nums",
     .metric = "pd_regions_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_regions_status{type=\"down-peer-region-count\"})",
     .threshold_param = "down_peer_threshold",
     .threshold_default = "0",
     .whole = true,
     .message = "{value} regions have a down replica (down-peer), more than {threshold}"},
    {.key = "pending-peer",
     .upstream = "PD_pending_peer_region_count",
     .metric = "pd_regions_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_regions_status{type=\"pending-peer-region-count\"})",
     .threshold_param = "pending_peer_threshold",
     .threshold_default = "100",
     .whole = true,
     .message = "{value} regions have a pending replica (pending-peer), more than {threshold}"},
    // No upstream alert: PD counts these regions only while a store is
    // Offline (being removed); each must move its replica before the store
    // can go. Any is worth a warning, as store_up warns of an Offline store.
    {.key = "offline-peer",
     .metric = "pd_regions_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_regions_status{type=\"offline-peer-region-count\"})",
     .threshold_param = "offline_peer_threshold",
     .threshold_default = "0",
     .whole = true,
     .message = "{value} regions have a replica on an Offline store (offline-peer), more than "
                "{threshold}"},
    // The replica checker runs on the leader only. Upstream's rule matches
    // name="no_target_store"; PD's replica checker counts "no-target-store"
    // (pkg/schedule/checker), so both spellings. A counter child that has
    // not counted yet may be absent: a leader without one reads 0.
    {.key = "no-target-store",
     .upstream = "PD_no_store_for_making_replica",
     .metric = "pd_checker_event_count",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (increase(pd_checker_event_count"
                   "{type=\"replica_checker\",name=~\"no_target_store|no-target-store\"}"
                   "[{window}]))",
     .threshold_param = "no_target_store_threshold",
     .threshold_default = "0",
     .absent_is_zero = true,
     .message = "PD found no store for a new replica {value} times in {window}, more than "
                "{threshold}"},
});
constexpr std::array kRegionWindows = {kRateWindow};

constexpr std::array kSpaceConditions = std::to_array<PdCondition>({
    // Upstream sums every member's series; a follower's stale sizes would
    // count twice, so the leader's only, as upstream's other PD rules.
    {.key = "space-used",
     .upstream = "TiKV_space_used_more_than_80%",
     .metric = "pd_cluster_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_cluster_status{type=\"storage_size\"}) / sum by "
                   "(instance) (pd_cluster_status{type=\"storage_capacity\"}) * 100",
     .threshold_param = "used_percent_threshold",
     .threshold_default = "80",
     .message = "The cluster's stores use {value}% of their capacity, more than {threshold}%"},
    {.key = "low-space",
     .upstream = "PD_cluster_low_space",
     .metric = "pd_cluster_status",
     .scope = PdScope::kLeader,
     .expression = "sum by (instance) (pd_cluster_status{type=\"store_low_space_count\"})",
     .threshold_param = "low_space_threshold",
     .threshold_default = "0",
     .whole = true,
     .message = "{value} stores are low on space by PD's count, more than {threshold}"},
});

constexpr std::array kEtcdConditions = std::to_array<PdCondition>({
    {.key = "wal-fsync",
     .upstream = "PD_etcd_write_disk_latency",
     .metric = "etcd_disk_wal_fsync_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(etcd_disk_wal_fsync_duration_seconds_bucket[{window}])))",
     .threshold_param = "wal_fsync_threshold",
     .threshold_default = "1",
     .level = Level::kCritical,
     .nan_is_idle = true,
     .message = "PD member {member} WAL fsync P99 {value}s exceeds threshold {threshold}s"},
    // Upstream alerts per (member, peer); one value per member: the slowest peer.
    {.key = "peer-rtt",
     .upstream = "PD_etcd_network_peer_latency",
     .metric = "etcd_network_peer_round_trip_time_seconds",
     .expression = "max by (instance) (histogram_quantile(0.99, sum by (le, instance, To) "
                   "(rate(etcd_network_peer_round_trip_time_seconds_bucket[{window}]))))",
     .threshold_param = "peer_rtt_threshold",
     .threshold_default = "1",
     .nan_is_idle = true,
     .message = "PD member {member} peer round-trip P99 (slowest peer) {value}s exceeds "
                "threshold {threshold}s"},
    // Upstream's `>= 1` on a count is `> 0`. pd.rules.yml reads
    // pd_server_tso, the family's older name; PD v8.5.1 exports pd_tso_events,
    // every type from the start (pkg/tso), so a missing series is missing.
    {.key = "time-slow",
     .upstream = "PD_system_time_slow",
     .metric = "pd_tso_events",
     .expression = "max by (instance) (changes(pd_tso_events{type=\"system_time_slow\"}"
                   "[{change_window}]))",
     .threshold_param = "time_slow_threshold",
     .threshold_default = "0",
     .whole = true,
     .message = "PD member {member} saw its system time go back {value} times in "
                "{change_window}, more than {threshold}"},
    // Members that saved a TSO window (only a leader does) within the range:
    // upstream's `count(... > 0) >= 2`, as `> 1`. `> bool 0` counts 0 when
    // no member saved, so an empty answer means the series are missing.
    {.key = "leader-change",
     .upstream = "PD_leader_change",
     .metric = "pd_tso_events",
     .scope = PdScope::kCluster,
     .expression = "sum(sum by (instance) (changes(pd_tso_events{type=\"save\"}"
                   "[{change_window}])) > bool 0)",
     .threshold_param = "leader_change_threshold",
     .threshold_default = "1",
     .whole = true,
     .message = "{value} PD members served as leader within {change_window}, more than "
                "{threshold}: PD's leader changed"},
});
constexpr std::array kEtcdWindows = std::to_array<PdWindow>({
    kRateWindow,
    {.param = "change_window",
     .placeholder = "{change_window}",
     .default_text = "10m",
     .doc = "range of changes() of PD's TSO events (time going back, leader changes)"},
});

// PD's own handling time of TSO requests (server/metrics.go); upstream's
// PD_tidb_handle_requests_duration reads TiDB's PD client instead.
constexpr std::array kTsoConditions = std::to_array<PdCondition>({
    {.key = "tso-handle",
     .upstream = "PD_tidb_handle_requests_duration",
     .metric = "pd_server_handle_tso_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(pd_server_handle_tso_duration_seconds_bucket[{window}])))",
     .threshold_param = "threshold",
     .threshold_default = "0.1",
     .nan_is_idle = true,
     .message = "PD member {member} TSO handle P99 {value}s exceeds threshold {threshold}s"},
});

// Upstream selects job="pd"; the job is the deployment's name, so the
// series are kept to instances that export etcd_server_is_leader (PD
// members, not TiKV's thousands of stores), then joined to PD's members.
constexpr std::array kRestartConditions = std::to_array<PdCondition>({
    {.key = "restart",
     .upstream = "PD_node_restart",
     .metric = "process_start_time_seconds",
     .expression = "max by (instance) (changes(process_start_time_seconds[{window}])) "
                   "and on (instance) etcd_server_is_leader",
     .threshold_param = "threshold",
     .threshold_default = "0",
     .whole = true,
     .message = "PD member {member} restarted within {window} (its start time changed {value} "
                "times, more than {threshold})"},
});
constexpr std::array kRestartWindows = std::to_array<PdWindow>({
    {.param = "rate_window",
     .placeholder = "{window}",
     .default_text = "5m",
     .doc = "range of changes() of process_start_time_seconds"},
});

constexpr std::array kRows = std::to_array<PdMetricRow>({
    {.name = "region_health",
     .description = "PD counts no regions missing, down, pending or on Offline stores, and "
                    "finds a store for every new replica",
     .level = Level::kCritical,
     .conditions = kRegionConditions,
     .windows = kRegionWindows},
    {.name = "cluster_space",
     .description = "the cluster's used share of capacity stays under threshold and no store "
                    "is low on space (PD's counts)",
     .conditions = kSpaceConditions},
    {.name = "pd_etcd",
     .description = "PD's etcd: WAL fsync and peer round-trip P99 under thresholds, system "
                    "time never going back, no leader change",
     .level = Level::kCritical,
     .conditions = kEtcdConditions,
     .windows = kEtcdWindows},
    {.name = "tso_latency",
     .description = "each PD member's TSO handle P99 stays under threshold (s)",
     .conditions = kTsoConditions,
     .windows = kRegionWindows},
    {.name = "pd_node_restart",
     .description = "no PD member restarted within rate_window",
     .conditions = kRestartConditions,
     .windows = kRestartWindows},
});

static_assert(kRows.size() == kPdMetricRowCount, "update kPdMetricRowCount");

// Read as 0 while the member is scraped: every PD member exports it.
constexpr std::string_view kScrapedMember = "0 * sum by (instance) (etcd_server_is_leader)";
constexpr std::string_view kLeaderOnly = "etcd_server_is_leader > 0";

}  // namespace

std::span<const PdMetricRow> pd_metric_rows() { return kRows; }

bool reads_members(const PdMetricRow& row) {
  return std::any_of(row.conditions.begin(), row.conditions.end(),
                     [](const PdCondition& c) { return c.scope == PdScope::kMember; });
}

std::string pd_replace_windows(const PdMetricRow& row, std::string_view text,
                               std::span<const std::chrono::milliseconds> windows) {
  std::string out(text);
  for (size_t i = 0; i < row.windows.size() && i < windows.size(); ++i) {
    const std::string_view placeholder = row.windows[i].placeholder;
    std::string duration;
    for (size_t at; (at = out.find(placeholder)) != std::string::npos;) {
      if (duration.empty()) duration = promql_duration(windows[i]);
      out.replace(at, placeholder.size(), duration);
    }
  }
  return out;
}

std::string pd_metric_query(const PdMetricRow& row,
                            std::span<const std::chrono::milliseconds> windows) {
  if (windows.size() != row.windows.size())
    throw std::invalid_argument("a PD metric query needs one duration per window of its row");
  for (const auto window : windows) {
    if (window.count() <= 0) throw std::invalid_argument("a PromQL duration must be positive");
  }
  std::string query;
  for (const PdCondition& condition : row.conditions) {
    std::string part = pd_replace_windows(row, condition.expression, windows);
    if (condition.absent_is_zero)
      part = "(" + part + ") or on (instance) " + std::string(kScrapedMember);
    if (condition.scope == PdScope::kLeader)
      part = "(" + part + ") and on (instance) (" + std::string(kLeaderOnly) + ")";
    if (!query.empty()) query += " or ";
    query += "label_replace(" + part + ", \"condition\", \"" + std::string(condition.key) +
             "\", \"\", \"\")";
  }
  return query;
}

}  // namespace opr::tikv
