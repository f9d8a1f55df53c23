// GET /pd/metrics: every PD member's own /metrics in one exposition, as
// client_golang writes it (PD v8.5.1 and its embedded etcd), each series
// labelled instance="<member host:2379>" (scraped with honor_labels: true).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"

namespace opr::sim {

// expfmt's text format, as PD serves it without gzip.
inline constexpr const char* kPdMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// `view`: PD's members, leader and metric state; `stores` feed the leader's
// pd_cluster_status. `steady_now_ns` moves counters and histograms,
// `wall_now_ns` ages the stores' heartbeats.
std::string render_pd_metrics(const std::vector<PdMember>& members, const PdView& view,
                              const std::vector<Store>& stores, std::int64_t steady_now_ns,
                              std::int64_t wall_now_ns);

}  // namespace opr::sim
