// The simulator's own endpoints: fault injection and a view of its state.
//   POST /sim/stores/{id}  {"state_name", "p99_ms", "disk_used_percent", "capacity_bytes",
//                           "latency_metric", "disk_metric"}
//   POST /sim/pd           {"mode": "ok"|"error"|"hang"|"garbage"|"slow", "delay_ms": 3000}
//   POST /sim/pd/members/{name}  {"health": true|false, PD metric fields (pd_metrics.h)}
//   POST /sim/pd/leader    {"name": "<member name>"|null}
//   GET  /sim/state
#pragma once

#include <string>
#include <variant>

#include "cluster.h"

namespace opr::sim {

struct ControlAnswer {
  int status = 200;
  std::string body;  // JSON
};

ControlAnswer change_store(Cluster& cluster, const std::string& id_text, const std::string& body);
ControlAnswer change_pd_mode(Cluster& cluster, const std::string& body);
ControlAnswer change_pd_member(Cluster& cluster, const std::string& name, const std::string& body);
ControlAnswer change_pd_leader(Cluster& cluster, const std::string& body);
ControlAnswer describe_state(const Cluster& cluster);

}  // namespace opr::sim
