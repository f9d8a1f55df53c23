#include "store_metric_rows.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "promql.h"

namespace opr::tikv {
namespace {

using std::chrono::seconds;

// Each expression gives one series per instance: it ends in an aggregation
// `by (instance)` (or a quantile over `sum by (le, instance)`).
// store_metric_query() compares it with the threshold in PromQL and adds the
// stores without a value, so that a filtered-out store (healthy) and a store
// without series (unknown) stay apart.
constexpr std::array kRows = std::to_array<StoreMetricRow>({
    {.name = "write_stall",
     .description = "no TiKV store's RocksDB write stall counters grow",
     .upstream = "TiKV_write_stall",
     .metric = "tikv_engine_write_stall",
     .expression = "max by (instance) (delta(tikv_engine_write_stall[{window}]))",
     .window_default = "10m",
     .threshold_default = "0",
     .label = "write stall growth over {window}"},
    {.name = "channel_full",
     .description = "no TiKV store reports full raftstore/apply channels",
     .upstream = "TiKV_channel_full_total",
     .metric = "tikv_channel_full_total",
     .expression = "sum by (instance) (rate(tikv_channel_full_total[{window}]))",
     .absent_is_zero = true,
     .window_default = "10m",
     .threshold_default = "0",
     .label = "channel full rate over {window}",
     .unit = "/s"},
    {.name = "raft_log_lag",
     .description = "per-store P99 raft log lag stays under threshold (entries)",
     .upstream = "TiKV_raft_log_lag",
     .metric = "tikv_raftstore_log_lag",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(tikv_raftstore_log_lag_bucket[{window}])))",
     .nan_is_idle = true,
     .presence = "tikv_raftstore_log_lag_bucket{le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "5000",
     .label = "raft log lag P99",
     .unit = " entries"},
    {.name = "async_write_duration",
     .description = "per-store P99 async write request duration stays under threshold (s)",
     .upstream = "TiKV_async_request_write_duration_seconds",
     .metric = "tikv_storage_engine_async_request_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(tikv_storage_engine_async_request_duration_seconds_bucket"
                   "{type=\"write\"}[{window}])))",
     .nan_is_idle = true,
     .presence =
         "tikv_storage_engine_async_request_duration_seconds_bucket{type=\"write\",le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .label = "async write P99",
     .unit = "s"},
    {.name = "async_snapshot_duration",
     .description = "per-store P99 async snapshot request duration stays under threshold (s)",
     .upstream = "TiKV_async_request_snapshot_duration_seconds",
     .metric = "tikv_storage_engine_async_request_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(tikv_storage_engine_async_request_duration_seconds_bucket"
                   "{type=\"snapshot\"}[{window}])))",
     .nan_is_idle = true,
     .presence =
         "tikv_storage_engine_async_request_duration_seconds_bucket{type=\"snapshot\",le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .label = "async snapshot P99",
     .unit = "s"},
    {.name = "raft_append_log_duration",
     .description = "per-store P99 raft append log duration stays under threshold (s)",
     .upstream = "TiKV_raft_append_log_duration_secs",
     .metric = "tikv_raftstore_append_log_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(tikv_raftstore_append_log_duration_seconds_bucket[{window}])))",
     .nan_is_idle = true,
     .presence = "tikv_raftstore_append_log_duration_seconds_bucket{le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .label = "raft append log P99",
     .unit = "s"},
    {.name = "raft_apply_log_duration",
     .description = "per-store P99 raft apply log duration stays under threshold (s)",
     .upstream = "TiKV_raft_apply_log_duration_secs",
     .metric = "tikv_raftstore_apply_log_duration_seconds",
     .expression = "histogram_quantile(0.99, sum by (le, instance) "
                   "(rate(tikv_raftstore_apply_log_duration_seconds_bucket[{window}])))",
     .nan_is_idle = true,
     .presence = "tikv_raftstore_apply_log_duration_seconds_bucket{le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .label = "raft apply log P99",
     .unit = "s"},
    {.name = "scheduler_latch_wait",
     .description = "per-store P99 scheduler latch wait of every command type stays under "
                    "threshold (s)",
     .upstream = "TiKV_scheduler_latch_wait_duration_seconds",
     .metric = "tikv_scheduler_latch_wait_duration_seconds",
     .expression = "max by (instance) (histogram_quantile(0.99, sum by (le, instance, type) "
                   "(rate(tikv_scheduler_latch_wait_duration_seconds_bucket[{window}]))))",
     .nan_is_idle = true,
     .presence = "tikv_scheduler_latch_wait_duration_seconds_bucket{le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .label = "scheduler latch wait P99 (slowest command type)",
     .unit = "s"},
    {.name = "coprocessor_wait",
     .description = "per-store P99.99 coprocessor request wait of every request kind stays "
                    "under threshold (s)",
     .upstream = "TiKV_coprocessor_request_wait_seconds",
     .metric = "tikv_coprocessor_request_wait_seconds",
     .expression = "max by (instance) (histogram_quantile(0.9999, sum by (le, instance, req) "
                   "(rate(tikv_coprocessor_request_wait_seconds_bucket{type=\"all\"}[{window}]))))",
     .nan_is_idle = true,
     .presence = "tikv_coprocessor_request_wait_seconds_bucket{type=\"all\",le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "10",
     .label = "coprocessor wait P99.99 (slowest request kind)",
     .unit = "s"},
    {.name = "raftstore_cpu",
     .description = "per-store CPU of the raftstore threads stays under threshold (cores)",
     .upstream = "TiKV_raftstore_thread_cpu_seconds_total",
     .metric = "tikv_thread_cpu_seconds_total",
     .expression = "sum by (instance) "
                   "(rate(tikv_thread_cpu_seconds_total{name=~\"raftstore_.*\"}[{window}]))",
     .window_default = "1m",
     .threshold_default = "1.6",
     .label = "raftstore CPU",
     .unit = " cores"},
    {.name = "apply_cpu",
     .description = "per-store CPU of the apply worker threads stays under threshold (cores)",
     .upstream = "TiKV_thread_apply_worker_cpu_seconds",
     .metric = "tikv_thread_cpu_seconds_total",
     .expression = "sum by (instance) "
                   "(rate(tikv_thread_cpu_seconds_total{name=~\"apply_.*\"}[{window}]))",
     .window_default = "1m",
     .threshold_default = "1.8",
     .label = "apply worker CPU",
     .unit = " cores"},
    {.name = "unreachable_reports",
     .description = "no TiKV store reports peers unreachable more often than threshold (/s)",
     .upstream = "TiKV_server_report_failure_msg_total",
     .metric = "tikv_server_report_failure_msg_total",
     .expression = "sum by (instance) "
                   "(rate(tikv_server_report_failure_msg_total{type=\"unreachable\"}[{window}]))",
     .absent_is_zero = true,
     .window_default = "10m",
     .threshold_default = "10",
     .label = "unreachable-peer report rate over {window}",
     .unit = "/s"},
    {.name = "memory_growth",
     .description = "no TiKV process's resident memory grows by more than threshold (bytes) "
                    "within rate_window",
     .upstream = "TiKV_memory_used_too_fast",
     .metric = "process_resident_memory_bytes",
     // Upstream subtracts the value `offset 5m`, which has no sample during a
     // Prometheus' (or a store's) first 5 minutes: every store would be
     // unknown then. The growth from the window's lowest value exists from
     // the second sample on, and is at least upstream's value.
     .expression = "max by (instance) (process_resident_memory_bytes - "
                   "min_over_time(process_resident_memory_bytes[{window}]))",
     .window_default = "5m",
     .threshold_default = "5368709120",
     .grace = seconds(300),
     .label = "resident memory growth over {window}",
     .unit = " B"},
    {.name = "gc_not_working",
     .description = "every TiKV store ran GC (a GC task or a compaction-filter GC) within "
                    "rate_window",
     .upstream = "TiKV_GC_can_not_work",
     .metric = "tikv_gcworker_gc_tasks_vec",
     .expression = "max by (instance) (increase(tikv_gcworker_gc_tasks_vec{task=\"gc\"}[{window}]) "
                   "or increase(tikv_gc_compaction_filter_perform[{window}]))",
     .compared_here = true,
     .window_default = "24h",
     .threshold_default = "1",
     .direction = Direction::kBelow,
     // Its 24h range reads every sample of a day at each run (README.md,
     // "Query cost"); a day without GC is not news to the minute.
     .interval = seconds(600),
     .label = "GC runs over {window}"},
    {.name = "node_restart",
     .description = "no TiKV process restarted within rate_window",
     .upstream = "TiKV_node_restart",
     .metric = "process_start_time_seconds",
     .expression = "max by (instance) (changes(process_start_time_seconds[{window}]))",
     .window_default = "5m",
     .threshold_default = "0",
     .level = Level::kWarning,
     .label = "restarts over {window}"},
    {.name = "scheduler_pending",
     .description = "per-store change of the scheduler's pending command contexts stays under "
                    "threshold",
     .upstream = "TiKV_scheduler_context_total",
     .metric = "tikv_scheduler_contex_total",
     .expression = "max by (instance) (abs(delta(tikv_scheduler_contex_total[{window}])))",
     .window_default = "5m",
     .threshold_default = "1000",
     .level = Level::kWarning,
     .label = "scheduler pending-context change over {window}"},
    {.name = "worker_pending_tasks",
     .description = "per-store pending tasks of every TiKV worker stay under threshold",
     .upstream = "TiKV_pending_task",
     .metric = "tikv_worker_pending_task_total",
     .expression = "max by (instance) (sum by (instance, name) (tikv_worker_pending_task_total))",
     .threshold_default = "1000",
     .level = Level::kWarning,
     .label = "pending tasks (busiest worker)"},
    {.name = "leader_drops",
     .description = "no TiKV store loses more than -threshold leaders within rate_window",
     .upstream = "TiKV_leader_drops",
     .metric = "tikv_pd_heartbeat_tick_total",
     .expression =
         "min by (instance) (delta(tikv_pd_heartbeat_tick_total{type=\"leader\"}[{window}]))",
     .window_default = "30s",
     .threshold_default = "-10",
     .direction = Direction::kBelow,
     .level = Level::kWarning,
     .label = "leader count change over {window}"},
    {.name = "raft_process_ready",
     .description = "per-store P99.9 duration of raft ready handling stays under threshold (s)",
     .upstream = "TiKV_raft_process_ready_duration_secs",
     .metric = "tikv_raftstore_raft_process_duration_secs",
     .expression = "histogram_quantile(0.999, sum by (le, instance) "
                   "(rate(tikv_raftstore_raft_process_duration_secs_bucket{type=\"ready\"}"
                   "[{window}])))",
     .nan_is_idle = true,
     .presence = "tikv_raftstore_raft_process_duration_secs_bucket{type=\"ready\",le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "2",
     .level = Level::kWarning,
     .label = "raft process ready P99.9",
     .unit = "s"},
    {.name = "raft_process_tick",
     .description = "per-store P99.9 duration of raft tick handling stays under threshold (s)",
     .upstream = "TiKV_raft_process_tick_duration_secs",
     .metric = "tikv_raftstore_raft_process_duration_secs",
     .expression = "histogram_quantile(0.999, sum by (le, instance) "
                   "(rate(tikv_raftstore_raft_process_duration_secs_bucket{type=\"tick\"}"
                   "[{window}])))",
     .nan_is_idle = true,
     .presence = "tikv_raftstore_raft_process_duration_secs_bucket{type=\"tick\",le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "2",
     .level = Level::kWarning,
     .label = "raft process tick P99.9",
     .unit = "s"},
    // Upstream divides this histogram, in seconds, by 1000 before comparing
    // with 1: it fires at 1,000 s, above TiKV's largest bucket (262 s), so
    // only on +Inf. The row compares seconds with 1, what its summary says
    // ("more than 1s").
    {.name = "scheduler_command_duration",
     .description = "per-store P99 scheduler command duration of every command type stays "
                    "under threshold (s)",
     .upstream = "TiKV_scheduler_command_duration_seconds",
     .metric = "tikv_scheduler_command_duration_seconds",
     .expression = "max by (instance) (histogram_quantile(0.99, sum by (le, instance, type) "
                   "(rate(tikv_scheduler_command_duration_seconds_bucket[{window}]))))",
     .nan_is_idle = true,
     .presence = "tikv_scheduler_command_duration_seconds_bucket{le=\"+Inf\"}",
     .window_default = "1m",
     .threshold_default = "1",
     .level = Level::kWarning,
     .label = "scheduler command P99 (slowest command type)",
     .unit = "s"},
    // Errors add up: a store's failed requests are its total whatever their
    // reasons (upstream compares each reason alone).
    {.name = "coprocessor_request_error",
     .description = "no TiKV store counts more than threshold coprocessor errors (other than "
                    "meet_lock) within rate_window",
     .upstream = "TiKV_coprocessor_request_error",
     .metric = "tikv_coprocessor_request_error",
     .expression = "sum by (instance) "
                   "(increase(tikv_coprocessor_request_error{reason!=\"meet_lock\"}[{window}]))",
     .absent_is_zero = true,
     .window_default = "10m",
     .threshold_default = "100",
     .level = Level::kWarning,
     .label = "coprocessor errors (all but meet_lock) over {window}"},
    {.name = "coprocessor_lock_error",
     .description = "no TiKV store counts more than threshold coprocessor meet_lock errors "
                    "within rate_window",
     .upstream = "TiKV_coprocessor_request_lock_error",
     .metric = "tikv_coprocessor_request_error",
     .expression = "sum by (instance) "
                   "(increase(tikv_coprocessor_request_error{reason=\"meet_lock\"}[{window}]))",
     .absent_is_zero = true,
     .window_default = "10m",
     .threshold_default = "10000",
     .level = Level::kWarning,
     .label = "coprocessor meet_lock errors over {window}"},
});

static_assert(kRows.size() == kStoreMetricRowCount, "update kStoreMetricRowCount");

// What says a store's TiKV is scraped: TiKV always exports its capacity
// (disk_space reads the same family).
constexpr std::string_view kScraped = "tikv_store_size_bytes{type=\"capacity\"}";
// A list of the scraped stores older than kScrapedMaxAge is asked again;
// the rows' queries name the stores scraped within this range as missing,
// so that a store scraped when the list was made and no longer is stays
// unknown (the range covers the list's age plus a scrape interval of up to
// a minute).
constexpr std::chrono::milliseconds kScrapedRecently{5 * 60'000};
static_assert(kScrapedRecently - kScrapedMaxAge >= std::chrono::minutes(1));

static_assert(std::ranges::all_of(kRows,
                                  [](const StoreMetricRow& row) {
                                    return !row.nan_is_idle || !row.presence.empty();
                                  }),
              "a nan_is_idle row needs its presence selector");

std::string replace_window(std::string_view text, std::chrono::milliseconds window) {
  constexpr std::string_view kWindow = "{window}";
  std::string out;
  std::string duration;
  size_t from = 0;
  for (size_t at; (at = text.find(kWindow, from)) != std::string_view::npos;
       from = at + kWindow.size()) {
    if (duration.empty()) duration = promql_duration(window);
    out.append(text.substr(from, at - from));
    out += duration;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace

std::span<const StoreMetricRow> store_metric_rows() { return kRows; }

std::string store_metric_value(const StoreMetricRow& row, std::chrono::milliseconds window) {
  if (window.count() <= 0) throw std::invalid_argument("a PromQL duration must be positive");
  std::string value = replace_window(row.expression, window);
  if (row.absent_is_zero) {
    value =
        "(" + value + ") or on (instance) 0 * sum by (instance) (" + std::string(kScraped) + ")";
  }
  return value;
}

std::string store_metric_query(const StoreMetricRow& row, std::chrono::milliseconds window,
                               double threshold) {
  const std::string value = store_metric_value(row, window);
  if (row.compared_here) return value;
  const bool above = row.direction == Direction::kAbove;
  const std::string limit = promql_number(threshold);
  std::string query;
  if (row.nan_is_idle) {
    // A quantile is never an infinity the row cannot judge, and NaN is idle.
    query = "(" + value + ") " + (above ? "> " : "< ") + limit;
  } else {
    // All but the healthy: beyond the threshold, NaN, the other infinity.
    const std::string healthy = above ? "((" + value + ") <= " + limit + ") > -Inf"
                                      : "((" + value + ") >= " + limit + ") < Inf";
    query = "(" + value + ") unless on (instance) (" + healthy + ")";
  }
  const std::string has_value = row.nan_is_idle ? "count_over_time(" + std::string(row.presence) +
                                                      "[" + promql_duration(window) + "]) > 1"
                                                : value;
  // Scraped within kScrapedRecently, not only now: the pack keeps the
  // scraped stores' list for a while (kScrapedMaxAge), and a store whose
  // scrapes stopped since must come back as missing, not pass unseen.
  return query + " or on (instance) label_replace(group by (instance) (last_over_time(" +
         std::string(kScraped) + "[" + promql_duration(kScrapedRecently) +
         "])) unless on (instance) (" + has_value + "), \"condition\", \"missing\", \"\", \"\")";
}

std::string scraped_stores_query() { return "group by (instance) (" + std::string(kScraped) + ")"; }

std::string store_metric_label(const StoreMetricRow& row, std::chrono::milliseconds window) {
  return replace_window(row.label, window);
}

}  // namespace opr::tikv
