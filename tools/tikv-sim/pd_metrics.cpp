#include "pd_metrics.h"

#include <algorithm>
#include <cmath>

#include "go_format.h"

namespace opr::sim {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;

void set_p99(PdHistogram& h, double p99, const ExponentialBuckets& buckets) {
  h.p99 = p99;
  h.distribution = distribution_for_quantile(0.99, p99, buckets);
}

// Folds what the histogram grew into its base; a new segment starts.
void fold(PdHistogram& h, bool growing, std::int64_t steady_now_ns) {
  const std::uint64_t n = pd_ticks(h, growing, steady_now_ns);
  for (std::size_t b = 0; b < h.base.size(); ++b) h.base[b] += n * h.distribution.per_bucket[b];
  h.sum_base += static_cast<double>(n) * h.distribution.sum_seconds;
  h.segment_start_ns = steady_now_ns;
}

void fold(PdCounter& c, double per_second, bool growing, std::int64_t steady_now_ns) {
  if (growing) {
    c.base += per_second * static_cast<double>(steady_now_ns - c.segment_start_ns) /
              static_cast<double>(kSecondNs);
  }
  c.segment_start_ns = steady_now_ns;
}

// Folds everything that grows only while `member` leads.
void fold_leader_only(PdMetricState& state, std::size_t member, bool leads,
                      std::int64_t steady_now_ns) {
  PdMemberMetrics& m = state.members[member];
  fold(m.tso_handle, leads, steady_now_ns);
  fold(m.tso_save, kTsoSavesPerSecond, leads, steady_now_ns);
  fold(m.no_target_store, state.no_target_store_per_s, leads, steady_now_ns);
  fold(m.rule_checks, kRuleChecksPerSecond, leads, steady_now_ns);
}

std::optional<std::string> read_p99(std::string_view key, const nlohmann::ordered_json& value,
                                    const ExponentialBuckets& buckets,
                                    std::optional<double>& into) {
  if (!value.is_number() || !buckets.expressible(value.get<double>())) {
    return std::string(key) + " must be a number of seconds above " +
           shortest_decimal(buckets.start) + " and at most " +
           shortest_decimal(buckets.bound(buckets.count - 1)) + " (what the buckets can express)";
  }
  into = value.get<double>();
  return "";
}

}  // namespace

void init_pd_metrics(PdMetricState& state, const std::vector<std::int64_t>& start_times_s,
                     std::int64_t steady_now_ns) {
  state.members.assign(start_times_s.size(), PdMemberMetrics{});
  for (std::size_t i = 0; i < start_times_s.size(); ++i) {
    PdMemberMetrics& m = state.members[i];
    set_p99(m.wal_fsync, 0.002, kWalFsyncBuckets);
    set_p99(m.peer_rtt, 0.001, kPeerRttBuckets);
    set_p99(m.tso_handle, 0.001, kTsoHandleBuckets);
    for (PdHistogram* h : {&m.wal_fsync, &m.peer_rtt, &m.tso_handle})
      h->segment_start_ns = steady_now_ns;
    for (PdCounter* c : {&m.tso_save, &m.no_target_store, &m.rule_checks})
      c->segment_start_ns = steady_now_ns;
    m.start_time_s = start_times_s[i];
  }
}

std::optional<std::string> parse_pd_member_field(std::string_view key,
                                                 const nlohmann::ordered_json& value,
                                                 PdMemberChange& change) {
  if (key == "wal_fsync_p99_s")
    return read_p99(key, value, kWalFsyncBuckets, change.wal_fsync_p99_s);
  if (key == "peer_rtt_p99_s") return read_p99(key, value, kPeerRttBuckets, change.peer_rtt_p99_s);
  if (key == "tso_handle_p99_s")
    return read_p99(key, value, kTsoHandleBuckets, change.tso_handle_p99_s);
  if (key == "time_jump_back" || key == "restart") {
    if (!value.is_boolean()) return std::string(key) + " must be true or false";
    (key == "restart" ? change.restart : change.time_jump_back) = value.get<bool>();
    return "";
  }
  if (key == "serves_metrics") {
    if (!value.is_boolean()) return "serves_metrics must be true or false";
    change.serves_metrics = value.get<bool>();
    return "";
  }
  return std::nullopt;
}

std::optional<std::string> parse_pd_regions(const nlohmann::ordered_json& request,
                                            PdRegionsChange& change) {
  if (!request.is_object()) return "the body must be a JSON object";
  for (const auto& [key, value] : request.items()) {
    const auto type = std::find(kRegionStatusTypes.begin(), kRegionStatusTypes.end(), key);
    if (type != kRegionStatusTypes.end()) {
      if (!value.is_number_unsigned()) return key + " must be a whole number, 0 or more";
      change.regions.emplace_back(type - kRegionStatusTypes.begin(), value.get<std::uint64_t>());
    } else if (key == "no_target_store_per_s") {
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0)
        return "no_target_store_per_s must be a number, 0 or more";
      change.no_target_store_per_s = value.get<double>();
    } else if (key == "missing_metrics") {
      if (!value.is_array()) return "missing_metrics must be an array of family names";
      std::vector<std::string> families;
      for (const auto& item : value) {
        const bool known =
            item.is_string() && std::find(kPdFamilies.begin(), kPdFamilies.end(),
                                          item.get<std::string>()) != kPdFamilies.end();
        if (!known) return "missing_metrics holds an unknown family: " + item.dump();
        families.push_back(item.get<std::string>());
      }
      change.missing_families = std::move(families);
    } else {
      return "unknown field \"" + key +
             "\" (expected a pd_regions_status type such as miss-peer-region-count, "
             "no_target_store_per_s or missing_metrics; see README.md)";
    }
  }
  return std::nullopt;
}

void apply_pd_member_change(PdMetricState& state, std::size_t index, const PdMemberChange& change,
                            std::optional<std::size_t> leader, std::int64_t steady_now_ns,
                            std::int64_t wall_now_s) {
  PdMemberMetrics& m = state.members[index];
  const bool leads = leader == index;
  if (change.wal_fsync_p99_s) {
    fold(m.wal_fsync, true, steady_now_ns);
    set_p99(m.wal_fsync, *change.wal_fsync_p99_s, kWalFsyncBuckets);
  }
  if (change.peer_rtt_p99_s) {
    fold(m.peer_rtt, true, steady_now_ns);
    set_p99(m.peer_rtt, *change.peer_rtt_p99_s, kPeerRttBuckets);
  }
  if (change.tso_handle_p99_s) {
    fold(m.tso_handle, leads, steady_now_ns);
    set_p99(m.tso_handle, *change.tso_handle_p99_s, kTsoHandleBuckets);
  }
  if (change.time_jump_back) ++m.time_jump_backs;
  if (change.restart) m.start_time_s = wall_now_s;
  if (change.serves_metrics) m.serves_metrics = *change.serves_metrics;
}

void apply_pd_regions_change(PdMetricState& state, const PdRegionsChange& change,
                             std::optional<std::size_t> leader, std::int64_t steady_now_ns) {
  for (const auto& [type, count] : change.regions) state.regions[type] = count;
  if (change.no_target_store_per_s) {
    if (leader) {
      fold(state.members[*leader].no_target_store, state.no_target_store_per_s, true,
           steady_now_ns);
    }
    state.no_target_store_per_s = *change.no_target_store_per_s;
  }
  if (change.missing_families) state.missing_families = *change.missing_families;
}

void fold_leader_growth(PdMetricState& state, std::optional<std::size_t> old_leader,
                        std::int64_t steady_now_ns) {
  for (std::size_t i = 0; i < state.members.size(); ++i) {
    fold_leader_only(state, i, old_leader == i, steady_now_ns);
  }
}

std::uint64_t pd_ticks(const PdHistogram& histogram, bool growing, std::int64_t steady_now_ns) {
  const std::int64_t elapsed = steady_now_ns - histogram.segment_start_ns;
  return !growing || elapsed <= 0 ? 0 : static_cast<std::uint64_t>(elapsed / kSecondNs);
}

double pd_counter_value(const PdCounter& counter, double per_second, bool growing,
                        std::int64_t steady_now_ns) {
  double value = counter.base;
  if (growing && steady_now_ns > counter.segment_start_ns) {
    value += per_second * static_cast<double>(steady_now_ns - counter.segment_start_ns) /
             static_cast<double>(kSecondNs);
  }
  return std::floor(value);  // Go's counters here count whole events
}

nlohmann::ordered_json pd_member_metrics_json(const PdMemberMetrics& member) {
  return {{"wal_fsync_p99_s", member.wal_fsync.p99},
          {"peer_rtt_p99_s", member.peer_rtt.p99},
          {"tso_handle_p99_s", member.tso_handle.p99},
          {"time_jump_backs", member.time_jump_backs},
          {"process_start_time_seconds", member.start_time_s},
          {"serves_metrics", member.serves_metrics}};
}

nlohmann::ordered_json pd_regions_json(const PdMetricState& state) {
  nlohmann::ordered_json regions = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < kRegionStatusTypes.size(); ++i) {
    regions[std::string(kRegionStatusTypes[i])] = state.regions[i];
  }
  return {{"regions", std::move(regions)},
          {"no_target_store_per_s", state.no_target_store_per_s},
          {"missing_metrics", state.missing_families}};
}

}  // namespace opr::sim
