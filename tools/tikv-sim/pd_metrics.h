// PD's own /metrics, per member: the state the control API sets (POST
// /sim/pd/members/{name}, POST /sim/pd/regions) and how it moves with time
// and with PD's leadership. Rendering is in pd_metrics_render.h.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "latency_histogram.h"

namespace opr::sim {

// pd_regions_status types (pkg/statistics/region_collection.go), in the
// order PD declares them; all 0 until set.
inline constexpr std::array<std::string_view, 9> kRegionStatusTypes = {
    "miss-peer-region-count",    "extra-peer-region-count",   "down-peer-region-count",
    "pending-peer-region-count", "offline-peer-region-count", "learner-peer-region-count",
    "empty-region-count",        "oversized-region-count",    "undersized-region-count"};

// The families of /pd/metrics, sorted by name as client_golang writes them.
inline constexpr std::array<std::string_view, 9> kPdFamilies = {
    "etcd_disk_wal_fsync_duration_seconds",
    "etcd_network_peer_round_trip_time_seconds",
    "etcd_server_is_leader",
    "pd_checker_event_count",
    "pd_cluster_status",
    "pd_regions_status",
    "pd_server_handle_tso_duration_seconds",
    "pd_tso_events",
    "process_start_time_seconds"};

// Buckets as PD and etcd declare them (prometheus.ExponentialBuckets).
inline constexpr ExponentialBuckets kWalFsyncBuckets{0.001, 14};    // etcd wal/metrics.go
inline constexpr ExponentialBuckets kPeerRttBuckets{0.0001, 16};    // etcd rafthttp/metrics.go
inline constexpr ExponentialBuckets kTsoHandleBuckets{0.0005, 13};  // pd server/metrics.go

// A histogram whose 0.99 quantile is `p99` seconds: whole ticks of its
// distribution while it grows, on top of what earlier segments left.
struct PdHistogram {
  double p99 = 0;
  TickDistribution distribution;
  std::array<std::uint64_t, kFiniteBuckets + 1> base{};
  double sum_base = 0;
  std::int64_t segment_start_ns = 0;  // steady clock
};

// A counter that grows at some rate while its member leads PD.
struct PdCounter {
  double base = 0;
  std::int64_t segment_start_ns = 0;  // steady clock
};

struct PdMemberMetrics {
  PdHistogram wal_fsync;   // grows on every member
  PdHistogram peer_rtt;    // one series per other member, the same counts
  PdHistogram tso_handle;  // grows on the leader only
  PdCounter tso_save;      // pd_tso_events{type="save"}: 20/s on the leader
  PdCounter no_target_store;
  PdCounter rule_checks;              // healthy checker events, so that the family is there
  std::uint64_t time_jump_backs = 0;  // pd_tso_events{type="system_time_slow"}
  std::int64_t start_time_s = 0;      // process_start_time_seconds
  bool serves_metrics = true;
};

struct PdMetricState {
  std::vector<PdMemberMetrics> members;
  std::array<std::uint64_t, kRegionStatusTypes.size()> regions{};
  double no_target_store_per_s = 0;
  std::vector<std::string> missing_families;  // left out of the exposition
};

// POST /sim/pd/members/{name}: unset fields stay.
struct PdMemberChange {
  std::optional<double> wal_fsync_p99_s;
  std::optional<double> peer_rtt_p99_s;
  std::optional<double> tso_handle_p99_s;
  bool time_jump_back = false;
  bool restart = false;
  std::optional<bool> serves_metrics;
};

// POST /sim/pd/regions.
struct PdRegionsChange {
  std::vector<std::pair<std::size_t, std::uint64_t>> regions;  // index in kRegionStatusTypes
  std::optional<double> no_target_store_per_s;
  std::optional<std::vector<std::string>> missing_families;
};

inline constexpr double kTsoSavesPerSecond = 20;
inline constexpr double kRuleChecksPerSecond = 200;

// `start_times_s`: each member's process start (Unix seconds).
void init_pd_metrics(PdMetricState& state, const std::vector<std::int64_t>& start_times_s,
                     std::int64_t steady_now_ns);

// Reads one field of a member change: nullopt when `key` is none of the
// metric fields, "" when read, else what is wrong with the value.
std::optional<std::string> parse_pd_member_field(std::string_view key,
                                                 const nlohmann::ordered_json& value,
                                                 PdMemberChange& change);
// Reads a whole POST /sim/pd/regions body: nullopt when fine, else the problem.
std::optional<std::string> parse_pd_regions(const nlohmann::ordered_json& request,
                                            PdRegionsChange& change);

// `leader` is PD's leader at the time of the change (what grows).
void apply_pd_member_change(PdMetricState& state, std::size_t index, const PdMemberChange& change,
                            std::optional<std::size_t> leader, std::int64_t steady_now_ns,
                            std::int64_t wall_now_s);
void apply_pd_regions_change(PdMetricState& state, const PdRegionsChange& change,
                             std::optional<std::size_t> leader, std::int64_t steady_now_ns);
// Before PD's leadership leaves `old_leader`: what it grew until now stays.
void fold_leader_growth(PdMetricState& state, std::optional<std::size_t> old_leader,
                        std::int64_t steady_now_ns);

// Whole ticks (seconds) a histogram grew; 0 unless `growing`.
std::uint64_t pd_ticks(const PdHistogram& histogram, bool growing, std::int64_t steady_now_ns);
// A counter's value now (whole events), growing at `per_second` if `growing`.
double pd_counter_value(const PdCounter& counter, double per_second, bool growing,
                        std::int64_t steady_now_ns);

// For the control API's answers and /sim/state.
nlohmann::ordered_json pd_member_metrics_json(const PdMemberMetrics& member);
nlohmann::ordered_json pd_regions_json(const PdMetricState& state);

}  // namespace opr::sim
