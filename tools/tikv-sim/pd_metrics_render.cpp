#include "pd_metrics_render.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "go_format.h"

namespace opr::sim {

namespace {

constexpr std::int64_t kMinuteNs = 60LL * 1'000'000'000;
constexpr std::uint64_t kGiB = 1ULL << 30;

// One series (or a histogram's block of lines) and its labels, by which
// client_golang sorts the series of a family.
struct Series {
  std::string labels;  // `a="x",b="y"`, label names sorted
  std::string text;
};

struct Family {
  std::string_view name;
  std::string_view type;
  std::string_view help;
};

// HELP, TYPE and the series sorted by label values; a family without
// series is left out whole, as client_golang's Gather drops it.
void write_family(std::string& out, const Family& family, std::vector<Series> series,
                  const PdMetricState& state) {
  if (series.empty()) return;
  if (std::find(state.missing_families.begin(), state.missing_families.end(), family.name) !=
      state.missing_families.end()) {
    return;
  }
  std::sort(series.begin(), series.end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
  append_help_and_type(out, family.name, family.help, family.type);
  for (const Series& s : series) out += s.text;
}

Series sample(std::string_view name, std::string labels, double value) {
  Series s{std::move(labels), {}};
  s.text += name;
  s.text += '{';
  s.text += s.labels;
  s.text += "} ";
  append_go_float(s.text, value);
  s.text += '\n';
  return s;
}

std::string quoted(std::string_view name, std::string_view value) {
  std::string out(name);
  out += "=\"";
  out += value;
  out += '"';
  return out;
}

// A histogram series: cumulative buckets with `le` last, +Inf, _sum, _count.
// expfmt writes the counts as float64s too ("1.2e+06" from a million).
Series histogram(std::string_view name, std::string labels, const PdHistogram& h,
                 const ExponentialBuckets& buckets, bool growing, std::int64_t steady_now_ns) {
  Series s{std::move(labels), {}};
  const std::uint64_t n = pd_ticks(h, growing, steady_now_ns);
  const auto start = [&](std::string_view suffix) {
    s.text += name;
    s.text += suffix;
    s.text += '{';
    s.text += s.labels;
  };
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b <= buckets.count; ++b) {
    cumulative += h.base[b] + n * h.distribution.per_bucket[b];
    if (b == buckets.count) break;
    start("_bucket");
    s.text += ",le=\"";
    append_go_float(s.text, buckets.bound(b));
    s.text += "\"} ";
    append_go_float(s.text, static_cast<double>(cumulative));
    s.text += '\n';
  }
  start("_bucket");
  s.text += ",le=\"+Inf\"} ";
  append_go_float(s.text, static_cast<double>(cumulative));
  s.text += '\n';
  start("_sum");
  s.text += "} ";
  append_go_float(s.text, h.sum_base + static_cast<double>(n) * h.distribution.sum_seconds);
  s.text += '\n';
  start("_count");
  s.text += "} ";
  append_go_float(s.text, static_cast<double>(cumulative));
  s.text += '\n';
  return s;
}

// pd_cluster_status as the leader computes it (pkg/statistics/
// store_collection.go observe): each store in one health bucket, by how
// long ago it last heartbeated; low space and sizes besides.
struct ClusterStatus {
  double up = 0, disconnected = 0, down = 0, unhealthy = 0, slow = 0, low_space = 0, offline = 0,
         tombstone = 0, storage_size = 0, storage_capacity = 0;
};

ClusterStatus cluster_status(const std::vector<Store>& stores, std::int64_t wall_now_ns) {
  ClusterStatus c;
  for (const Store& s : stores) {
    const std::int64_t down_time = wall_now_ns - last_heartbeat_ns(s, wall_now_ns);
    bool is_down = false;
    switch (node_state(s)) {
      case 3:  // Removed
        c.tombstone += 1;
        continue;
      case 2:  // Removing
        c.offline += 1;
        break;
      default:
        if (down_time >= kDownAfterNs) {
          is_down = true;
          c.down += 1;
        } else if (down_time > 10 * kMinuteNs) {
          c.unhealthy += 1;
        } else if (down_time > kDisconnectedAfterNs) {
          c.disconnected += 1;
        } else if (s.slow_score >= 80) {
          c.slow += 1;
        } else {
          c.up += 1;
        }
    }
    const std::uint64_t used = used_bytes(s);
    const std::uint64_t available = s.capacity_bytes - std::min(used, s.capacity_bytes);
    // pkg/core/store.go IsLowSpace: young stores with room and empty disks
    // are exempt; below 20 % available (low-space-ratio 0.8) is low.
    const bool exempt = (s.region_count < 100 && available > 8 * kGiB) || s.capacity_bytes == 0;
    if (!is_down && !exempt &&
        static_cast<double>(available) / static_cast<double>(s.capacity_bytes) < 0.2) {
      c.low_space += 1;
    }
    c.storage_size += static_cast<double>(used);
    c.storage_capacity += static_cast<double>(s.capacity_bytes);
  }
  return c;
}

std::string hex(std::uint64_t id) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[id % 16]);
    id /= 16;
  } while (id != 0);
  return out;
}

}  // namespace

std::string render_pd_metrics(const std::vector<PdMember>& members, const PdView& view,
                              const std::vector<Store>& stores, std::int64_t steady_now_ns,
                              std::int64_t wall_now_ns) {
  const PdMetricState& state = view.metrics;
  const ClusterStatus live = view.leader ? cluster_status(stores, wall_now_ns) : ClusterStatus{};
  const ClusterStatus zeros{};

  std::vector<Series> wal, rtt, is_leader, checker, cluster, regions, tso_handle, tso_events,
      start_time;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const PdMemberMetrics& m = state.members[i];
    if (!m.serves_metrics) continue;  // cannot be scraped: nothing of it arrives
    const bool leads = view.leader == i;
    // client_url http://10.0.1.N:2379 -> 10.0.1.N:2379
    const std::string instance = quoted("instance", members[i].client_url.substr(7));

    wal.push_back(histogram("etcd_disk_wal_fsync_duration_seconds", instance, m.wal_fsync,
                            kWalFsyncBuckets, true, steady_now_ns));
    for (std::size_t peer = 0; peer < members.size(); ++peer) {
      if (peer == i) continue;
      rtt.push_back(histogram("etcd_network_peer_round_trip_time_seconds",
                              quoted("To", hex(members[peer].member_id)) + "," + instance,
                              m.peer_rtt, kPeerRttBuckets, true, steady_now_ns));
    }
    is_leader.push_back(sample("etcd_server_is_leader", instance, leads ? 1 : 0));

    // A CounterVec child exists once it was first counted.
    const std::array<std::pair<std::string_view, double>, 2> events = {
        {{"check", pd_counter_value(m.rule_checks, kRuleChecksPerSecond, leads, steady_now_ns)},
         {"no_target_store",
          pd_counter_value(m.no_target_store, state.no_target_store_per_s, leads, steady_now_ns)}}};
    for (const auto& [name, value] : events) {
      if (value <= 0) continue;
      const std::string_view type = name == "check" ? "rule_checker" : "replica_checker";
      checker.push_back(sample("pd_checker_event_count",
                               instance + "," + quoted("name", name) + "," + quoted("type", type),
                               value));
    }

    const ClusterStatus& c = leads ? live : zeros;
    const std::array<std::pair<std::string_view, double>, 10> statuses = {{
        {"storage_capacity", c.storage_capacity},
        {"storage_size", c.storage_size},
        {"store_disconnected_count", c.disconnected},
        {"store_down_count", c.down},
        {"store_low_space_count", c.low_space},
        {"store_offline_count", c.offline},
        {"store_slow_count", c.slow},
        {"store_tombstone_count", c.tombstone},
        {"store_unhealth_count", c.unhealthy},
        {"store_up_count", c.up},
    }};
    for (const auto& [type, value] : statuses) {
      cluster.push_back(sample("pd_cluster_status", instance + "," + quoted("type", type), value));
    }
    for (std::size_t t = 0; t < kRegionStatusTypes.size(); ++t) {
      regions.push_back(sample("pd_regions_status",
                               instance + "," + quoted("type", kRegionStatusTypes[t]),
                               leads ? static_cast<double>(state.regions[t]) : 0));
    }

    tso_handle.push_back(histogram("pd_server_handle_tso_duration_seconds", instance, m.tso_handle,
                                   kTsoHandleBuckets, leads, steady_now_ns));
    const std::array<std::pair<std::string_view, double>, 3> tso = {{
        {"save", pd_counter_value(m.tso_save, kTsoSavesPerSecond, leads, steady_now_ns)},
        {"slow_save", 0},
        {"system_time_slow", static_cast<double>(m.time_jump_backs)},
    }};
    for (const auto& [type, value] : tso) {
      tso_events.push_back(
          sample("pd_tso_events",
                 quoted("dc", "global") + "," + instance + "," + quoted("type", type), value));
    }
    start_time.push_back(
        sample("process_start_time_seconds", instance, static_cast<double>(m.start_time_s)));
  }

  std::string out;
  out.reserve(16 * 1024);
  // Sorted by family name, as client_golang's Gather sorts them.
  write_family(out,
               {"etcd_disk_wal_fsync_duration_seconds", "histogram",
                "The latency distributions of fsync called by WAL."},
               std::move(wal), state);
  write_family(out,
               {"etcd_network_peer_round_trip_time_seconds", "histogram",
                "Round-Trip-Time histogram between peers"},
               std::move(rtt), state);
  write_family(out,
               {"etcd_server_is_leader", "gauge",
                "Whether or not this member is a leader. 1 if is, 0 otherwise."},
               std::move(is_leader), state);
  write_family(out, {"pd_checker_event_count", "counter", "Counter of checker events."},
               std::move(checker), state);
  write_family(out, {"pd_cluster_status", "gauge", "Status of the cluster."}, std::move(cluster),
               state);
  write_family(out, {"pd_regions_status", "gauge", "Status of the regions."}, std::move(regions),
               state);
  write_family(out,
               {"pd_server_handle_tso_duration_seconds", "histogram",
                "Bucketed histogram of processing time (s) of handled tso requests."},
               std::move(tso_handle), state);
  write_family(out, {"pd_tso_events", "counter", "Counter of tso events"}, std::move(tso_events),
               state);
  write_family(out,
               {"process_start_time_seconds", "gauge",
                "Start time of the process since unix epoch in seconds."},
               std::move(start_time), state);
  return out;
}

}  // namespace opr::sim
