// Packs as the config sees them: static descriptors built in the test, no
// library loaded.
#pragma once

#include <operator/plugin.h>

#include <filesystem>
#include <string>

#include "config/config.h"

namespace opr::config::test {

// Declares what plugins/tikv declares: pd_endpoint, prometheus_url and the
// Prometheus credentials; store_up (critical; include_tombstone), latency
// (warning, grace 60s; quantile, rate_window, threshold_ms), disk_space
// (warning; threshold_percent).
const op_pack_descriptor& tikv_pack();

// Every parameter type, required parameters and a pack default interval:
// pack params root (string, required), tags (string-list "a,b"), api_token
// (string); checks fresh (warning, interval 15s; path required, max_age 1h,
// strict false, weight 0.5, retries 3) and exists (info, grace 5s).
const op_pack_descriptor& files_pack();

PackCatalog test_catalog();  // tikv and files

// Writes `yaml` to operator.yaml in a fresh folder, which lives until the
// next call, and returns its path.
std::filesystem::path write_text(const std::string& yaml);
// write_text, then load_config against the test catalog.
Config load_text(const std::string& yaml);
// The path load_text wrote last.
std::filesystem::path last_config_path();

}  // namespace opr::config::test
