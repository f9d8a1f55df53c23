// The PromQL the checks send: one query per check per cycle, for the whole
// cluster, grouped by `instance` so that series join to PD's stores.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace opr::tikv {

// A duration as PromQL writes it: "1h", "1m", "90s", "1500ms".
// Throws std::invalid_argument for zero or negative durations.
std::string promql_duration(std::chrono::milliseconds duration);

// The shortest text PromQL reads back as the same double: 0.99 (not
// 0.98999999999999999), -10, 5368709120, Inf, NaN.
std::string promql_number(double value);

// histogram_quantile(<quantile>, sum(rate(tikv_grpc_msg_duration_seconds_bucket
// {type!="kv_gc"}[<window>])) by (le, instance)): seconds per instance.
std::string latency_query(double quantile, std::chrono::milliseconds rate_window);

// histogram_quantile(<quantile>, <recorded>): `recorded` names a recording
// rule that holds what latency_query() sums, one series per (le, instance).
// Prometheus then reads one histogram per store instead of every gRPC type's
// (README.md, "Query cost").
std::string latency_query_recorded(double quantile, std::string_view recorded);

// True when `name` is a Prometheus metric name, [a-zA-Z_:][a-zA-Z0-9_:]*:
// what a recording rule's `record` may be, and nothing that changes a query.
bool is_metric_name(std::string_view name);

// sum by (instance, type) (tikv_store_size_bytes{type=~"capacity|available"}):
// two series per instance, in bytes.
std::string disk_query();

// How people name a quantile: 0.99 -> "P99", 0.999 -> "P99.9", 0.5 -> "P50".
std::string quantile_name(double quantile);

}  // namespace opr::tikv
