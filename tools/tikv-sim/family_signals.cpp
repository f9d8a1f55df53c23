#include "family_signals.h"

#include <cmath>

#include "go_format.h"
#include "store.h"

namespace opr::sim {

// Metric names, labels and types as TiKV v8.5 exports them; healthy values
// are those of a lightly loaded store. Signals of one family are adjacent,
// so that each family is written once.
const std::array<SignalSpec, kSignalCount> kSignals = {{
    {"write_stall_per_s", SignalKind::kCounter, "tikv_engine_write_stall", "gauge",
     "Histogram of write stall", "type=\"write_stall_max\"", 0},
    {"channel_full_per_s", SignalKind::kCounter, "tikv_channel_full_total", "counter",
     "Total number of channel full errors.", "type=\"raftstore\"", 0, 1, true},
    {"raft_log_lag_p99", SignalKind::kHistogram, "tikv_raftstore_log_lag", "histogram",
     "Bucketed histogram of log lag in region.", "", 10, 1e5},
    {"async_snapshot_p99_s", SignalKind::kHistogram,
     "tikv_storage_engine_async_request_duration_seconds", "histogram",
     "Bucketed histogram of processing successful asynchronous requests.", "type=\"snapshot\"",
     0.001},
    {"async_write_p99_s", SignalKind::kHistogram,
     "tikv_storage_engine_async_request_duration_seconds", "histogram",
     "Bucketed histogram of processing successful asynchronous requests.", "type=\"write\"", 0.002},
    {"raft_append_log_p99_s", SignalKind::kHistogram, "tikv_raftstore_append_log_duration_seconds",
     "histogram", "Bucketed histogram of peer appending log duration.", "", 0.001},
    {"raft_apply_log_p99_s", SignalKind::kHistogram, "tikv_raftstore_apply_log_duration_seconds",
     "histogram", "Bucketed histogram of peer applying log duration.", "", 0.001},
    {"scheduler_latch_wait_p99_s", SignalKind::kHistogram,
     "tikv_scheduler_latch_wait_duration_seconds", "histogram", "Bucketed histogram of latch wait",
     "type=\"prewrite\"", 0.0005},
    {"coprocessor_wait_p99_s", SignalKind::kHistogram, "tikv_coprocessor_request_wait_seconds",
     "histogram", "Bucketed histogram of coprocessor request wait duration",
     "req=\"select\",type=\"all\"", 0.001},
    {"raftstore_cpu", SignalKind::kCounter, "tikv_thread_cpu_seconds_total", "counter",
     "Total user and system CPU time spent in seconds by threads.",
     "name=\"raftstore_0\",tid=\"1201\"", 0.3},
    {"apply_cpu", SignalKind::kCounter, "tikv_thread_cpu_seconds_total", "counter",
     "Total user and system CPU time spent in seconds by threads.", "name=\"apply_0\",tid=\"1210\"",
     0.2},
    {"unreachable_reports_per_s", SignalKind::kCounter, "tikv_server_report_failure_msg_total",
     "counter", "Total number of reporting failure messages", "store_id=\"0\",type=\"unreachable\"",
     0, 1, true},
    {"resident_memory_bytes", SignalKind::kGauge, "process_resident_memory_bytes", "gauge",
     "Resident memory size in bytes.", "", 4294967296},
    {"gc_tasks_per_s", SignalKind::kCounter, "tikv_gcworker_gc_tasks_vec", "counter",
     "Counter of gc tasks processed by gc_worker", "task=\"gc\"", 1},
    {"process_start_time_seconds", SignalKind::kGauge, "process_start_time_seconds", "gauge",
     "Start time of the process since unix epoch in seconds.", "", 0},
    {"scheduler_contexts", SignalKind::kGauge, "tikv_scheduler_contex_total", "gauge",
     "Total number of pending commands.", "", 0},
    {"worker_pending_tasks", SignalKind::kGauge, "tikv_worker_pending_task_total", "gauge",
     "Current worker pending + running tasks.", "name=\"pd-worker\"", 0},
    {"leader_count", SignalKind::kGauge, "tikv_pd_heartbeat_tick_total", "gauge",
     "Total number of pd heartbeat ticks.", "type=\"leader\"", 100},
    {"raft_process_ready_p999_s", SignalKind::kHistogram,
     "tikv_raftstore_raft_process_duration_secs", "histogram",
     "Bucketed histogram of peer processing raft duration.", "type=\"ready\"", 0.004, 1, false,
     0.999},
    {"raft_process_tick_p999_s", SignalKind::kHistogram,
     "tikv_raftstore_raft_process_duration_secs", "histogram",
     "Bucketed histogram of peer processing raft duration.", "type=\"tick\"", 0.001, 1, false,
     0.999},
    {"scheduler_command_p99_s", SignalKind::kHistogram, "tikv_scheduler_command_duration_seconds",
     "histogram", "Bucketed histogram of command execution", "type=\"prewrite\"", 0.004},
    {"coprocessor_errors_per_s", SignalKind::kCounter, "tikv_coprocessor_request_error", "counter",
     "Total number of push down request error.", "reason=\"deadline_exceeded\"", 0, 1, true},
    {"coprocessor_lock_errors_per_s", SignalKind::kCounter, "tikv_coprocessor_request_error",
     "counter", "Total number of push down request error.", "reason=\"meet_lock\"", 0, 1, true},
}};

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr std::size_t kStartTime = 14;  // process_start_time_seconds: start_timestamp_s

double value_of(const SignalState& state, std::size_t i) {
  return state.value.value_or(kSignals[i].healthy);
}

// The histogram's distribution for a value in its unit.
TickDistribution distribution_of(double value, const SignalSpec& spec) {
  return distribution_for_quantile(spec.quantile, value / spec.scale, kTikvBuckets);
}

const TickDistribution& healthy_distribution(std::size_t i) {
  static const auto table = [] {
    std::array<TickDistribution, kSignalCount> out{};
    for (std::size_t j = 0; j < kSignalCount; ++j) {
      if (kSignals[j].kind == SignalKind::kHistogram)
        out[j] = distribution_of(kSignals[j].healthy, kSignals[j]);
    }
    return out;
  }();
  return table[i];
}

const TickDistribution& distribution(const SignalState& state, std::size_t i) {
  return state.distribution ? *state.distribution : healthy_distribution(i);
}

std::uint64_t ticks(const SignalState& state, std::int64_t steady_now_ns) {
  const std::int64_t elapsed = steady_now_ns - state.segment_start_ns;
  return elapsed <= 0 ? 0 : static_cast<std::uint64_t>(elapsed / kSecondNs);
}

double counter_value(const SignalState& state, std::size_t i, std::int64_t steady_now_ns) {
  const double elapsed_s =
      static_cast<double>(steady_now_ns - state.segment_start_ns) / static_cast<double>(kSecondNs);
  return state.counter_base + value_of(state, i) * std::max(0.0, elapsed_s);
}

// Folds what the current value produced into the base; a new segment starts.
void close_segment(SignalState& state, std::size_t i, std::int64_t steady_now_ns) {
  if (kSignals[i].kind == SignalKind::kCounter) {
    state.counter_base = counter_value(state, i, steady_now_ns);
  } else if (kSignals[i].kind == SignalKind::kHistogram) {
    const TickDistribution& d = distribution(state, i);
    const std::uint64_t n = ticks(state, steady_now_ns);
    for (std::size_t b = 0; b < state.bucket_base.size(); ++b)
      state.bucket_base[b] += n * d.per_bucket[b];
    state.sum_base += static_cast<double>(n) * d.sum_seconds * kSignals[i].scale;
  }
  state.segment_start_ns = steady_now_ns;
}

bool has_series(const Store& s, std::size_t i, std::int64_t steady_now_ns) {
  if (!serves_metrics(s)) return false;
  const SignalState& state = s.family.signals[i];
  if (state.missing) return false;
  if (kSignals[i].appears_on_first_event) return counter_value(state, i, steady_now_ns) > 0;
  return true;
}

// `{instance="..."` and the spec's labels, as the other families write
// them: instance first (the simulator's own label), the rest sorted.
void append_labels(std::string& out, const Store& s, std::string_view labels) {
  out += "{instance=\"";
  out += s.status_address;
  out += '"';
  if (!labels.empty()) {
    out += ',';
    out += labels;
  }
}

void write_histogram(std::string& out, const Store& s, std::size_t i, std::int64_t steady_now_ns) {
  const SignalSpec& spec = kSignals[i];
  const SignalState& state = s.family.signals[i];
  const TickDistribution& d = distribution(state, i);
  const std::uint64_t n = ticks(state, steady_now_ns);
  std::string labels;
  append_labels(labels, s, spec.labels);
  // `<family><suffix>{labels<more>`: a line up to the end of its labels.
  const auto start = [&](std::string_view suffix, std::string_view more) {
    out += spec.family;
    out += suffix;
    out += labels;
    out += more;
  };
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b <= kFiniteBuckets; ++b) {
    cumulative += state.bucket_base[b] + n * d.per_bucket[b];
    if (b == kFiniteBuckets) break;
    start("_bucket", ",le=\"");
    if (spec.scale == 1) {
      out += kBucketLabels[b];
    } else {
      append_shortest_decimal(out, std::round(bucket_bound(b) * spec.scale * 1e6) / 1e6);
    }
    out += "\"} ";
    append_integer(out, cumulative);
    out += '\n';
  }
  start("_bucket", ",le=\"+Inf\"} ");
  append_integer(out, cumulative);
  out += '\n';
  start("_sum", "} ");
  append_shortest_decimal(out,
                          state.sum_base + static_cast<double>(n) * d.sum_seconds * spec.scale);
  out += '\n';
  start("_count", "} ");
  append_integer(out, cumulative);
  out += '\n';
}

}  // namespace

void init_family(FamilySignals& family, std::int64_t steady_now_ns) {
  for (SignalState& state : family.signals) state.segment_start_ns = steady_now_ns;
}

std::optional<std::string> parse_family_field(std::string_view key,
                                              const nlohmann::ordered_json& value,
                                              FamilyChange& change) {
  if (key == "restart") {
    if (!value.is_boolean()) return "restart must be true or false";
    change.restart = value.get<bool>();
    return "";
  }
  const auto index_of = [](std::string_view field) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < kSignalCount; ++i) {
      if (kSignals[i].field == field) return i;
    }
    return std::nullopt;
  };
  if (key == "missing_metrics") {
    if (!value.is_array()) return "missing_metrics must be an array of signal fields";
    for (std::size_t i = 0; i < kSignalCount; ++i) change.missing.emplace_back(i, false);
    for (const auto& item : value) {
      const auto i = item.is_string() ? index_of(item.get<std::string>()) : std::nullopt;
      if (!i) return "missing_metrics holds an unknown signal field: " + item.dump();
      change.missing[*i].second = true;
    }
    return "";
  }
  const auto i = index_of(key);
  if (!i) return std::nullopt;
  if (*i == kStartTime) return "process_start_time_seconds is set by \"restart\": true";
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0)
    return std::string(key) + " must be a number, 0 or more";
  const double v = value.get<double>();
  if (kSignals[*i].kind == SignalKind::kHistogram &&
      !p99_expressible(v / kSignals[*i].scale * 1000.0)) {
    return std::string(key) + " must be above " +
           shortest_decimal(kMinP99Ms / 1000 * kSignals[*i].scale) + " and at most " +
           shortest_decimal(kMaxP99Ms / 1000 * kSignals[*i].scale);
  }
  change.values.emplace_back(*i, v);
  return "";
}

void apply_family_change(Store& store, const FamilyChange& change, std::int64_t steady_now_ns,
                         std::int64_t wall_now_s) {
  FamilySignals& family = store.family;
  for (const auto& [i, v] : change.values) {
    SignalState& state = family.signals[i];
    close_segment(state, i, steady_now_ns);
    state.value = v;
    if (kSignals[i].kind == SignalKind::kHistogram)
      state.distribution = distribution_of(v, kSignals[i]);
  }
  for (const auto& [i, missing] : change.missing) family.signals[i].missing = missing;
  if (change.restart) store.start_timestamp_s = wall_now_s;
}

nlohmann::ordered_json family_json(const Store& store) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  nlohmann::ordered_json missing = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < kSignalCount; ++i) {
    const SignalState& state = store.family.signals[i];
    out[std::string(kSignals[i].field)] =
        i == kStartTime ? static_cast<double>(store.start_timestamp_s) : value_of(state, i);
    if (state.missing) missing.push_back(kSignals[i].field);
  }
  out["missing_metrics"] = std::move(missing);
  return out;
}

void write_family_signals(std::string& out, const std::vector<Store>& stores,
                          const std::vector<std::size_t>& order, std::int64_t steady_now_ns) {
  std::string_view written_family;
  for (std::size_t i = 0; i < kSignalCount; ++i) {
    const SignalSpec& spec = kSignals[i];
    bool any = false;
    for (const Store& s : stores) {
      if (has_series(s, i, steady_now_ns)) {
        any = true;
        break;
      }
    }
    if (!any) continue;  // rust-prometheus leaves a family without series out
    if (spec.family != written_family) {
      append_help_and_type(out, spec.family, spec.help, spec.type);
      written_family = spec.family;
    }
    for (const std::size_t k : order) {
      const Store& s = stores[k];
      if (!has_series(s, i, steady_now_ns)) continue;
      const SignalState& state = s.family.signals[i];
      if (spec.kind == SignalKind::kHistogram) {
        write_histogram(out, s, i, steady_now_ns);
        continue;
      }
      out += spec.family;
      append_labels(out, s, spec.labels);
      out += "} ";
      if (i == kStartTime) {
        append_integer(out, s.start_timestamp_s);
      } else if (spec.kind == SignalKind::kCounter) {
        append_shortest_decimal(out, counter_value(state, i, steady_now_ns));
      } else {
        append_shortest_decimal(out, value_of(state, i));
      }
      out += '\n';
    }
  }
}

}  // namespace opr::sim
