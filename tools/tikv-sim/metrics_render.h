// TiKV's /metrics for every store that can be scraped, in one exposition:
// the Prometheus text format as rust-prometheus 0.13 writes it, each series
// labelled instance="<status_address>" (scraped with honor_labels: true).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store.h"

namespace opr::sim {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4";

// `by_status_address`: store indices in the order their series appear.
// `steady_now_ns` is the steady clock, `elapsed_s` the seconds since start.
std::string render_metrics(const std::vector<Store>& stores,
                           const std::vector<std::size_t>& by_status_address,
                           std::int64_t steady_now_ns, double elapsed_s);

}  // namespace opr::sim
