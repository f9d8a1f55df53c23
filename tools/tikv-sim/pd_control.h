// The control API of PD's /metrics (pd_metrics.h):
//   POST /sim/pd/regions  {"miss-peer-region-count": 150, "no_target_store_per_s": 1,
//                          "missing_metrics": ["pd_regions_status"]}
// and the PD metric state that /sim/state shows.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "cluster.h"
#include "control_api.h"

namespace opr::sim {

ControlAnswer change_pd_regions(Cluster& cluster, const std::string& body);
// {"regions", "no_target_store_per_s", "missing_metrics", "members": [...]}.
nlohmann::ordered_json pd_metrics_state_json(const Cluster& cluster, const PdView& view);

}  // namespace opr::sim
