// PD's API answers, rendered as PD v8.5.1 renders them (tests/fixtures/pd/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cluster.h"

namespace opr::sim {

inline constexpr const char* kPdContentType = "application/json; charset=UTF-8";

// GET /pd/api/v1/stores: the stores whose metapb state (0 Up, 1 Offline,
// 2 Tombstone) is in `states`, in `order`.
std::string render_stores(const std::vector<Store>& stores, const std::vector<std::size_t>& order,
                          const std::vector<int>& states, std::int64_t now_ns);
// GET /pd/api/v1/store/{id}: a bare StoreInfo.
std::string render_store(const Store& store, std::int64_t now_ns);
// GET /pd/api/v1/health and /pd/api/v1/members.
std::string render_health(const Cluster& cluster);
std::string render_members(const Cluster& cluster);
// PD's error bodies are JSON strings: "\"message\"\n".
std::string render_error(const std::string& message);

}  // namespace opr::sim
