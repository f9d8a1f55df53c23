// One simulated TiKV store: what the control API sets, and what PD and
// /metrics derive from it at a given moment.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "family_signals.h"
#include "latency_histogram.h"

namespace opr::sim {

// The condition a test puts a store in. Up and Offline stores heartbeat;
// Disconnected and Down ones stopped long enough ago for PD to call them so;
// a Tombstone is gone. PD derives its state_name from these heartbeats.
enum class Condition { kUp, kDisconnected, kDown, kOffline, kTombstone };
std::string_view condition_name(Condition condition);
std::optional<Condition> parse_condition(std::string_view name);

// What a running (Up or Offline) store's /metrics says, for tests of
// missing or unusable metrics; PD's view of the store does not change.
enum class LatencyMetric {
  kNormal,   // the histogram grows with the traffic
  kMissing,  // no tikv_grpc_msg_duration_seconds series at all
  kIdle,     // the histogram stops growing: rate() is 0, histogram_quantile NaN
};
enum class DiskMetric {
  kNormal,
  kMissing,                // no tikv_store_size_bytes series at all
  kNan,                    // available reads NaN
  kNegative,               // available reads -1
  kZeroCapacity,           // capacity reads 0 (and so do used and available)
  kAvailableOverCapacity,  // available reads capacity + 1 GiB
  kNoAvailable,            // the available series is absent
};
std::string_view latency_metric_name(LatencyMetric metric);
std::optional<LatencyMetric> parse_latency_metric(std::string_view name);
std::string_view disk_metric_name(DiskMetric metric);
std::optional<DiskMetric> parse_disk_metric(std::string_view name);

// The gRPC message types the simulated traffic carries, sorted by name as
// TiKV's /metrics sorts series.
inline constexpr std::array<std::string_view, 3> kGrpcTypes = {"coprocessor", "kv_get",
                                                               "kv_prewrite"};

// Histogram counters of one gRPC type: whole ticks of a TickDistribution
// since `segment_start_ns`, on top of what earlier segments (earlier p99
// settings) left, so that counters only grow when the p99 changes.
struct LatencyCounters {
  std::array<std::uint64_t, kFiniteBuckets + 1> base{};
  std::uint64_t base_total = 0;
  double base_sum = 0;
};

struct Store {
  std::uint64_t id = 0;
  std::string address;         // host:20160
  std::string status_address;  // host:20180, the `instance` of its metrics
  std::string zone;
  std::string host_label;

  Condition condition = Condition::kUp;
  double p99_ms = 5;
  double disk_used_percent = 30;
  std::uint64_t capacity_bytes = 0;
  LatencyMetric latency_metric = LatencyMetric::kNormal;
  DiskMetric disk_metric = DiskMetric::kNormal;
  // PD's slow score of the store (status.slow_score): 1 is healthy, PD
  // counts a store as slow from 80; 0 leaves the field out, as PD's
  // omitempty does for a store that never reported one (an old PD).
  std::uint64_t slow_score = 1;

  std::int64_t start_timestamp_s = 0;                // TiKV process start (Unix seconds)
  std::int64_t heartbeat_anchor_ns = 0;              // heartbeats run every 10 s from here
  std::optional<std::int64_t> stopped_heartbeat_ns;  // last one, once they stopped

  // PD statistics that only need to look plausible.
  std::int64_t region_count = 0;
  std::int64_t region_size_mib = 0;
  std::int64_t leader_count = 0;
  std::int64_t leader_size_mib = 0;
  double slow_trend_cause = 0;
  std::int64_t qps = 0;

  TickDistribution latency;
  std::int64_t segment_start_ns = 0;  // steady clock
  std::array<LatencyCounters, kGrpcTypes.size()> counters;

  FamilySignals family;  // the pack's per-store metric family (family_signals.h)
};

inline constexpr std::int64_t kHeartbeatIntervalNs = 10'000'000'000;
inline constexpr std::int64_t kDisconnectedAfterNs = 20'000'000'000;     // PD: > 20 s
inline constexpr std::int64_t kDownAfterNs = 30LL * 60 * 1'000'000'000;  // max-store-down-time

std::int64_t last_heartbeat_ns(const Store& store, std::int64_t now_ns);
// PD's state_name: the metapb state, or Disconnected/Down from heartbeat age.
std::string_view pd_state_name(const Store& store, std::int64_t now_ns);
int metapb_state(const Store& store);  // Up=0, Offline=1, Tombstone=2
int node_state(const Store& store);    // Serving=1, Removing=2, Removed=3
// A dead TiKV cannot be scraped: Down, Disconnected and Tombstone serve nothing.
bool serves_metrics(const Store& store);

// Whole bytes used: the largest count strictly below disk_used_percent of
// capacity, so that a threshold equal to the configured percent never fires.
std::uint64_t used_bytes(const Store& store);

// Ticks of a gRPC type's traffic since the segment started (each type ticks
// once a second, the three types a third of a second apart); none while
// the latency metric is idle.
std::uint64_t latency_ticks(const Store& store, std::size_t type, std::int64_t steady_now_ns);
// Closes the current segment at `steady_now_ns` and starts one with `p99_ms`.
void change_p99(Store& store, double p99_ms, std::int64_t steady_now_ns);
// Closes the current segment at `steady_now_ns` and starts one with
// `metric`: counters stop growing while idle and grow again from there.
void change_latency_metric(Store& store, LatencyMetric metric, std::int64_t steady_now_ns);

}  // namespace opr::sim
