#include "promql.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace opr::tikv {

std::string promql_duration(std::chrono::milliseconds duration) {
  const long long ms = duration.count();
  if (ms <= 0) throw std::invalid_argument("a PromQL duration must be positive");
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

std::string promql_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  char number[32];
  const auto written = std::to_chars(number, number + sizeof number, value);
  return std::string(number, written.ptr);
}

std::string latency_query(double quantile, std::chrono::milliseconds rate_window) {
  return "histogram_quantile(" + promql_number(quantile) +
         ", sum(rate(tikv_grpc_msg_duration_seconds_bucket{type!=\"kv_gc\"}[" +
         promql_duration(rate_window) + "])) by (le, instance))";
}

std::string latency_query_recorded(double quantile, std::string_view recorded) {
  return "histogram_quantile(" + promql_number(quantile) + ", " + std::string(recorded) + ")";
}

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string disk_query() {
  return "sum by (instance, type) (tikv_store_size_bytes{type=~\"capacity|available\"})";
}

std::string quantile_name(double quantile) {
  char number[32];
  // %.10g drops the binary noise of 0.999 * 100 (99.899999999999991).
  std::snprintf(number, sizeof number, "%.10g", quantile * 100);
  return std::string("P") + number;
}

}  // namespace opr::tikv
