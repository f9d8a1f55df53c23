#include "store.h"

#include <array>
#include <cmath>
#include <utility>

namespace opr::sim {

std::string_view condition_name(Condition condition) {
  switch (condition) {
    case Condition::kUp:
      return "Up";
    case Condition::kDisconnected:
      return "Disconnected";
    case Condition::kDown:
      return "Down";
    case Condition::kOffline:
      return "Offline";
    case Condition::kTombstone:
      return "Tombstone";
  }
  return "Up";
}

std::optional<Condition> parse_condition(std::string_view name) {
  for (const auto c : {Condition::kUp, Condition::kDisconnected, Condition::kDown,
                       Condition::kOffline, Condition::kTombstone}) {
    if (condition_name(c) == name) return c;
  }
  return std::nullopt;
}

namespace {

constexpr std::array<std::pair<LatencyMetric, std::string_view>, 3> kLatencyMetricNames = {{
    {LatencyMetric::kNormal, "normal"},
    {LatencyMetric::kMissing, "missing"},
    {LatencyMetric::kIdle, "idle"},
}};
constexpr std::array<std::pair<DiskMetric, std::string_view>, 7> kDiskMetricNames = {{
    {DiskMetric::kNormal, "normal"},
    {DiskMetric::kMissing, "missing"},
    {DiskMetric::kNan, "nan"},
    {DiskMetric::kNegative, "negative"},
    {DiskMetric::kZeroCapacity, "zero_capacity"},
    {DiskMetric::kAvailableOverCapacity, "available_over_capacity"},
    {DiskMetric::kNoAvailable, "no_available"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& names,
                         Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) return name;
  }
  return names[0].second;
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::pair<Enum, std::string_view>, N>& names,
                               std::string_view name) {
  for (const auto& [v, n] : names) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// Folds the ticks of the current segment into the counters' base and
// starts a new segment at `steady_now_ns`.
void close_segment(Store& store, std::int64_t steady_now_ns) {
  for (std::size_t t = 0; t < kGrpcTypes.size(); ++t) {
    const std::uint64_t ticks = latency_ticks(store, t, steady_now_ns);
    auto& c = store.counters[t];
    for (std::size_t b = 0; b < c.base.size(); ++b)
      c.base[b] += ticks * store.latency.per_bucket[b];
    c.base_total += ticks * store.latency.total;
    c.base_sum += static_cast<double>(ticks) * store.latency.sum_seconds;
  }
  store.segment_start_ns = steady_now_ns;
}

}  // namespace

std::string_view latency_metric_name(LatencyMetric metric) {
  return name_of(kLatencyMetricNames, metric);
}
std::optional<LatencyMetric> parse_latency_metric(std::string_view name) {
  return parse_name(kLatencyMetricNames, name);
}
std::string_view disk_metric_name(DiskMetric metric) { return name_of(kDiskMetricNames, metric); }
std::optional<DiskMetric> parse_disk_metric(std::string_view name) {
  return parse_name(kDiskMetricNames, name);
}

std::int64_t last_heartbeat_ns(const Store& store, std::int64_t now_ns) {
  if (store.stopped_heartbeat_ns) return *store.stopped_heartbeat_ns;
  if (now_ns <= store.heartbeat_anchor_ns) return store.heartbeat_anchor_ns;
  const std::int64_t beats = (now_ns - store.heartbeat_anchor_ns) / kHeartbeatIntervalNs;
  return store.heartbeat_anchor_ns + beats * kHeartbeatIntervalNs;
}

int metapb_state(const Store& store) {
  switch (store.condition) {
    case Condition::kOffline:
      return 1;
    case Condition::kTombstone:
      return 2;
    default:
      return 0;
  }
}

int node_state(const Store& store) { return metapb_state(store) + 1; }

std::string_view pd_state_name(const Store& store, std::int64_t now_ns) {
  if (metapb_state(store) == 1) return "Offline";
  if (metapb_state(store) == 2) return "Tombstone";
  const std::int64_t age = now_ns - last_heartbeat_ns(store, now_ns);
  if (age > kDownAfterNs) return "Down";
  if (age > kDisconnectedAfterNs) return "Disconnected";
  return "Up";
}

bool serves_metrics(const Store& store) {
  return store.condition == Condition::kUp || store.condition == Condition::kOffline;
}

std::uint64_t used_bytes(const Store& store) {
  const long double exact =
      static_cast<long double>(store.capacity_bytes) * store.disk_used_percent / 100.0L;
  if (exact <= 0) return 0;
  const long double below = std::ceil(exact) - 1;
  return below <= 0 ? 0 : static_cast<std::uint64_t>(below);
}

std::uint64_t latency_ticks(const Store& store, std::size_t type, std::int64_t steady_now_ns) {
  if (store.latency_metric == LatencyMetric::kIdle) return 0;
  constexpr std::int64_t kTickNs = 1'000'000'000;
  const std::int64_t phase = static_cast<std::int64_t>(type) * kTickNs / 3;
  const std::int64_t elapsed = steady_now_ns - store.segment_start_ns;
  if (elapsed < 0) return 0;
  return static_cast<std::uint64_t>((elapsed + phase) / kTickNs);
}

void change_p99(Store& store, double p99_ms, std::int64_t steady_now_ns) {
  close_segment(store, steady_now_ns);
  store.p99_ms = p99_ms;
  store.latency = distribution_for_p99(p99_ms);
}

void change_latency_metric(Store& store, LatencyMetric metric, std::int64_t steady_now_ns) {
  if (metric == store.latency_metric) return;
  close_segment(store, steady_now_ns);  // while idle, no ticks to fold
  store.latency_metric = metric;
}

}  // namespace opr::sim
