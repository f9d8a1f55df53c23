// How `operator-host plugins list` shows packs: indented text for people,
// JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "plugins/pack_loader.h"

namespace opr::cli {

std::string format_packs_text(const std::vector<plugins::LoadedPack>& packs);

// {"packs": [{"file", "loaded", "error" | "name", "version", "abi",
//   "description", "params", "checks"}], "failed": N}
nlohmann::json packs_to_json(const std::vector<plugins::LoadedPack>& packs);

}  // namespace opr::cli
