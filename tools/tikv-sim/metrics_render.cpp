#include "metrics_render.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

#include "go_format.h"

namespace opr::sim {

namespace {

struct CommandRate {
  std::string_view type;
  double per_second;
};

// The storage commands a busy TiDB workload sends, sorted by type (the ones
// the fixture shows at zero are left out to keep 10,000 stores lighter).
constexpr std::array<CommandRate, 15> kCommands = {{{"acquire_pessimistic_lock", 150},
                                                    {"acquire_pessimistic_lock_resumed", 0.2},
                                                    {"batch_get", 80},
                                                    {"batch_get_command", 2400},
                                                    {"check_txn_status", 0.5},
                                                    {"cleanup", 0.05},
                                                    {"commit", 200},
                                                    {"get", 1850},
                                                    {"pessimistic_rollback", 5},
                                                    {"prewrite", 220},
                                                    {"resolve_lock", 0.02},
                                                    {"resolve_lock_lite", 0.08},
                                                    {"rollback", 0.1},
                                                    {"scan", 11},
                                                    {"txn_heart_beat", 0.03}}};

bool has_latency_series(const Store& s) {
  return serves_metrics(s) && s.latency_metric != LatencyMetric::kMissing;
}
bool has_size_series(const Store& s) {
  return serves_metrics(s) && s.disk_metric != DiskMetric::kMissing;
}

// rust-prometheus leaves a family without series out, HELP and TYPE too.
bool any_of(const std::vector<Store>& stores, bool (*has_series)(const Store&)) {
  return std::any_of(stores.begin(), stores.end(), has_series);
}

void append_instance(std::string& out, const Store& s) {
  out += "{instance=\"";
  out += s.status_address;
  out += '"';
}

void write_histograms(std::string& out, const std::vector<Store>& stores,
                      const std::vector<std::size_t>& order, std::int64_t steady_now_ns) {
  if (!any_of(stores, has_latency_series)) return;
  out +=
      "# HELP tikv_grpc_msg_duration_seconds Bucketed histogram of grpc server messages\n"
      "# TYPE tikv_grpc_msg_duration_seconds histogram\n";
  for (const std::size_t i : order) {
    const Store& s = stores[i];
    if (!has_latency_series(s)) continue;
    for (std::size_t t = 0; t < kGrpcTypes.size(); ++t) {
      const LatencyCounters& c = s.counters[t];
      const std::uint64_t ticks = latency_ticks(s, t, steady_now_ns);
      std::string labels;
      append_instance(labels, s);
      labels += ",priority=\"unknown\",type=\"";
      labels += kGrpcTypes[t];
      labels += '"';
      std::uint64_t cumulative = 0;
      for (std::size_t b = 0; b <= kFiniteBuckets; ++b) {
        cumulative += c.base[b] + ticks * s.latency.per_bucket[b];
        if (b == kFiniteBuckets) break;  // above the last bound: only +Inf counts it
        out += "tikv_grpc_msg_duration_seconds_bucket";
        out += labels;
        out += ",le=\"";
        out += kBucketLabels[b];
        out += "\"} ";
        append_integer(out, cumulative);
        out += '\n';
      }
      out += "tikv_grpc_msg_duration_seconds_bucket";
      out += labels;
      out += ",le=\"+Inf\"} ";
      append_integer(out, cumulative);
      out += "\ntikv_grpc_msg_duration_seconds_sum";
      out += labels;
      out += "} ";
      append_shortest_decimal(out, c.base_sum + static_cast<double>(ticks) * s.latency.sum_seconds);
      out += "\ntikv_grpc_msg_duration_seconds_count";
      out += labels;
      out += "} ";
      append_integer(out, cumulative);
      out += '\n';
    }
  }
}

void write_commands(std::string& out, const std::vector<Store>& stores,
                    const std::vector<std::size_t>& order, double elapsed_s) {
  if (!any_of(stores, serves_metrics)) return;
  out +=
      "# HELP tikv_storage_command_total Total number of commands received.\n"
      "# TYPE tikv_storage_command_total counter\n";
  for (const std::size_t i : order) {
    const Store& s = stores[i];
    if (!serves_metrics(s)) continue;
    // Each store's traffic scales with its QPS, so stores differ a little.
    const double scale = static_cast<double>(s.qps) / 2500.0;
    for (const auto& command : kCommands) {
      out += "tikv_storage_command_total";
      append_instance(out, s);
      out += ",type=\"";
      out += command.type;
      out += "\"} ";
      append_integer(
          out, static_cast<std::uint64_t>(std::floor(command.per_second * scale * elapsed_s)));
      out += '\n';
    }
  }
}

void write_sizes(std::string& out, const std::vector<Store>& stores,
                 const std::vector<std::size_t>& order) {
  if (!any_of(stores, has_size_series)) return;
  out +=
      "# HELP tikv_store_size_bytes Size of storage.\n"
      "# TYPE tikv_store_size_bytes gauge\n";
  for (const std::size_t i : order) {
    const Store& s = stores[i];
    if (!has_size_series(s)) continue;
    const bool zero = s.disk_metric == DiskMetric::kZeroCapacity;
    const std::uint64_t capacity = zero ? 0 : s.capacity_bytes;
    const std::uint64_t used = zero ? 0 : used_bytes(s);
    const std::uint64_t available = capacity - std::min(used, capacity);
    // used = kv + raft (+ snapshots and imports, idle here).
    const std::uint64_t raft = used / 100;
    struct Gauge {
      std::string_view type;
      std::uint64_t bytes;
    };
    const std::array<Gauge, 7> sizes = {{
        {"available", available},
        {"capacity", capacity},
        {"import_size", 0},
        {"kv_size", used - raft},
        {"raft_size", raft},
        {"snap_size", 0},
        {"used", used},
    }};
    for (const Gauge& gauge : sizes) {
      const bool is_available = gauge.type == "available";
      if (is_available && s.disk_metric == DiskMetric::kNoAvailable) continue;
      out += "tikv_store_size_bytes";
      append_instance(out, s);
      out += ",type=\"";
      out += gauge.type;
      out += "\"} ";
      if (is_available && s.disk_metric == DiskMetric::kNan) {
        out += "NaN";
      } else if (is_available && s.disk_metric == DiskMetric::kNegative) {
        out += "-1";
      } else if (is_available && s.disk_metric == DiskMetric::kAvailableOverCapacity) {
        append_integer(out, capacity + (std::uint64_t{1} << 30));
      } else {
        append_integer(out, gauge.bytes);
      }
      out += '\n';
    }
  }
}

}  // namespace

std::string render_metrics(const std::vector<Store>& stores,
                           const std::vector<std::size_t>& by_status_address,
                           std::int64_t steady_now_ns, double elapsed_s) {
  std::string out;
  out.reserve(stores.size() * 14000 + 1024);
  write_histograms(out, stores, by_status_address, steady_now_ns);
  write_commands(out, stores, by_status_address, elapsed_s);
  write_sizes(out, stores, by_status_address);
  write_family_signals(out, stores, by_status_address, steady_now_ns);
  return out;
}

}  // namespace opr::sim
