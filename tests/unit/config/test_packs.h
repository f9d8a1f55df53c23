// Packs as the config sees them: their declarations, no run.
#pragma once

#include <filesystem>
#include <string>

#include "common/pack_declaration.h"
#include "config/config.h"

namespace opr::config::test {

// What plugins/tikv declares, read from the built tikv pack itself (so the
// tests cannot drift from it): pd_endpoint, prometheus_url, the Prometheus
// credentials, store_list_max_age; store_up (critical; include_tombstone),
// latency (warning, grace 60s; quantile, rate_window, threshold_ms),
// disk_space (warning; threshold_percent).
const PackDeclaration& tikv_pack();

// Every parameter type, required parameters and bounds: see
// files_pack_declaration() in tests/support/pack_declarations.h.
const PackDeclaration& files_pack();

PackCatalog test_catalog();  // tikv and files

// Writes `yaml` to operator.yaml in a fresh folder, which lives until the
// next call, and returns its path.
std::filesystem::path write_text(const std::string& yaml);
// write_text, then load_config against the test catalog.
Config load_text(const std::string& yaml);
// The path load_text wrote last.
std::filesystem::path last_config_path();

}  // namespace opr::config::test
